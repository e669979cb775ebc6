/**
 * A small SIP2 server for the load generator's tests: a real TCP listener on
 * 127.0.0.1 that keeps loans in memory and answers 93/99/23/11/63/35/09 with
 * realistic 94/98/24/12/64/36/10 built by @circulate/sip2's encoder, echoing AY.
 * `misbehave` makes it refuse, ask for resends, stay silent or hang up.
 */
import net, { type AddressInfo } from "node:net";
import { encodeMessage, noFlags, PatronStatusPosition, parseRequest, type SipRequest, type SipResponse, Sip2Framer, SupportedMessagePosition } from "@circulate/sip2";

export const CODEC = { timeZone: "America/New_York", charset: "ibm850" } as const;

export interface Misbehaviour {
  /** Answer these request codes with a refusal (ok=0, invalid patron, login refused…). */
  readonly refuse?: readonly string[];
  /** Close the connection instead of answering these. */
  readonly hangUpOn?: readonly string[];
  /** Answer these with 96. */
  readonly resend?: readonly string[];
  /** Never answer these. */
  readonly silentOn?: readonly string[];
}

export interface TestServer {
  readonly port: number;
  /** Requests received, by code (including the ones not answered). */
  readonly received: Map<string, number>;
  /** Items on loan now: item → patron. */
  readonly loans: Map<string, string>;
  /** Problems the server saw in what kiosks sent (bad checksum, no AY, wrong PIN). */
  readonly problems: string[];
  connections: number;
  close(): Promise<void>;
}

const PATRON = /^L\d{6,}$/;
const ITEM = /^LI\d{7,}$/;

function answer(req: SipRequest, loans: Map<string, string>, refuse: boolean, problems: string[]): SipResponse {
  const now = new Date();
  const none = noFlags(PatronStatusPosition);
  switch (req.code) {
    case "93":
      return { code: "94", ok: !refuse && req.loginUserId === "kiosk1" && req.loginPassword === "kiosk1pw" };
    case "99":
      return {
        code: "98",
        onlineStatus: !refuse,
        checkinOk: true,
        checkoutOk: true,
        acsRenewalPolicy: true,
        statusUpdateOk: false,
        offlineOk: false,
        timeoutPeriod: 50,
        retriesAllowed: 3,
        dateTimeSync: now,
        protocolVersion: "2.00",
        institutionId: "MAIN",
        libraryName: "Main Library",
        supportedMessages: { ...noFlags(SupportedMessagePosition), patronStatusRequest: true, checkout: true, checkin: true, scAcsStatus: true, login: true, patronInformation: true, endPatronSession: true },
        terminalLocation: "MAIN",
      };
    case "23": {
      const valid = !refuse && PATRON.test(req.patronIdentifier);
      if (req.patronPassword !== "1234") problems.push(`23 for ${req.patronIdentifier} without the PIN`);
      return {
        code: "24",
        patronStatus: valid ? none : { ...none, chargePrivilegesDenied: true, renewalPrivilegesDenied: true },
        language: "001",
        transactionDate: now,
        institutionId: req.institutionId,
        patronIdentifier: req.patronIdentifier,
        personalName: valid ? "Ada Lovelace" : "",
        validPatron: valid,
        validPatronPassword: valid && req.patronPassword === "1234",
        currencyType: "USD",
        feeAmount: "0.00",
        ...(valid ? {} : { screenMessages: ["Please see a librarian"] }),
      };
    }
    case "11": {
      const taken = loans.get(req.itemIdentifier);
      if (taken !== undefined) problems.push(`${req.itemIdentifier} checked out to ${req.patronIdentifier} while on loan to ${taken}`);
      const ok = !refuse && taken === undefined && ITEM.test(req.itemIdentifier);
      if (ok) loans.set(req.itemIdentifier, req.patronIdentifier);
      return {
        code: "12",
        ok,
        renewalOk: false,
        magneticMedia: "N",
        desensitize: ok ? "Y" : "N",
        transactionDate: now,
        institutionId: req.institutionId,
        patronIdentifier: req.patronIdentifier,
        itemIdentifier: req.itemIdentifier,
        titleIdentifier: "The Silent River",
        dueDate: ok ? "20250205    235900" : "",
        mediaType: "001",
        screenMessages: [ok ? "Due 2025-02-05" : "Item cannot be checked out"],
      };
    }
    case "63": {
      const charged = [...loans].filter(([, p]) => p === req.patronIdentifier).map(([item]) => item);
      const valid = !refuse && PATRON.test(req.patronIdentifier);
      return {
        code: "64",
        patronStatus: none,
        language: "001",
        transactionDate: now,
        holdItemsCount: 0,
        overdueItemsCount: 0,
        chargedItemsCount: charged.length,
        fineItemsCount: 0,
        recallItemsCount: 0,
        unavailableHoldsCount: 0,
        institutionId: req.institutionId,
        patronIdentifier: req.patronIdentifier,
        personalName: "Ada Lovelace",
        validPatron: valid,
        validPatronPassword: valid,
        currencyType: "USD",
        feeAmount: "0.00",
        ...(charged.length > 0 ? { chargedItems: charged } : {}),
        emailAddress: "ada@example.org",
      };
    }
    case "35":
      return { code: "36", endSession: !refuse, transactionDate: now, institutionId: req.institutionId, patronIdentifier: req.patronIdentifier };
    case "09": {
      const had = loans.get(req.itemIdentifier);
      const ok = !refuse && had !== undefined;
      if (ok) loans.delete(req.itemIdentifier);
      return {
        code: "10",
        ok,
        resensitize: ok,
        magneticMedia: "N",
        alert: false,
        transactionDate: now,
        institutionId: req.institutionId,
        itemIdentifier: req.itemIdentifier,
        permanentLocation: "MAIN-STACKS",
        titleIdentifier: "The Silent River",
        ...(had ? { patronIdentifier: had } : {}),
        sortBin: "A1",
        mediaType: "001",
        callNumber: "FIC TUR",
      };
    }
    default:
      return { code: "96" };
  }
}

/** Starts the server on an ephemeral loopback port. */
export async function startTestServer(misbehave: Misbehaviour = {}): Promise<TestServer> {
  const received = new Map<string, number>();
  const loans = new Map<string, string>();
  const problems: string[] = [];
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    const framer = new Sip2Framer();
    socket.on("data", (chunk) => {
      for (const ev of framer.push(chunk)) {
        if (ev.type !== "frame") continue;
        const parsed = parseRequest(ev.bytes, CODEC);
        if (!parsed.ok || parsed.checksum !== "valid" || parsed.sequence === null) {
          problems.push(`unreadable request or no AY/AZ: ${Buffer.from(ev.bytes).toString("latin1")}`);
          socket.write(encodeMessage({ code: "96" }, { ...CODEC, errorDetection: true }));
          continue;
        }
        const code = parsed.message.code;
        received.set(code, (received.get(code) ?? 0) + 1);
        if (misbehave.hangUpOn?.includes(code)) {
          socket.destroy();
          return;
        }
        if (misbehave.silentOn?.includes(code)) continue;
        if (misbehave.resend?.includes(code)) {
          socket.write(encodeMessage({ code: "96" }, { ...CODEC, errorDetection: true }));
          continue;
        }
        const response = answer(parsed.message, loans, misbehave.refuse?.includes(code) ?? false, problems);
        socket.write(encodeMessage(response, { ...CODEC, sequence: parsed.sequence }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    loans,
    problems,
    get connections() {
      return state.connections;
    },
    set connections(n: number) {
      state.connections = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
