/**
 * A small real SIP2 server for the client tests, answering with libs/sip2: 93 → 94
 * (kiosk1/s3cret), 99 → 98, 11 → 12, 09 → 10, 23 → 24 (patron "Zoë"), 97 → the last
 * response again, a bad checksum → 96. Hooks let a test corrupt, split, delay or drop
 * answers. It records every frame and raw chunk it receives.
 */
import { readFileSync } from "node:fs";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { type Charset, encodeMessage, noFlags, PatronStatusPosition, parseRequest, type SipResponse, SupportedMessagePosition } from "@circulate/sip2";

export const TZ = "Europe/Oslo";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
export const CERTS = {
  ca: new URL("../fixtures/ca.crt", import.meta.url).pathname,
  clientCert: new URL("../fixtures/client.crt", import.meta.url).pathname,
  clientKey: new URL("../fixtures/client.key", import.meta.url).pathname,
};

export interface ServerOptions {
  charset?: Charset;
  /** Terminator of responses. */
  terminator?: "\r" | "\r\n" | "\n";
  /** TLS with the fixture server certificate; `mutual` requires a client certificate signed by the fixture CA. */
  tls?: "server" | "mutual";
  /** Rewrites a response before it is written (e.g. corrupt its checksum); `null` sends nothing. */
  tamper?: (response: Uint8Array, n: number) => Uint8Array | null;
  /** Writes each response one byte at a time. */
  split?: boolean;
}

export interface TestServer {
  port: number;
  /** Frames received (terminator stripped), as latin1 text. */
  frames: string[];
  /** Raw bytes received, concatenated, as latin1 text. */
  wire: () => string;
  close(): Promise<void>;
}

function answer(frame: Uint8Array, charset: Charset): SipResponse | "resend" | "96" {
  const r = parseRequest(frame, { timeZone: TZ, charset });
  if (!r.ok || r.checksum === "invalid") return "96";
  const m = r.message;
  const now = new Date();
  switch (m.code) {
    case "97":
      return "resend";
    case "93":
      return { code: "94", ok: m.loginUserId === "kiosk1" && m.loginPassword === "s3cret" };
    case "99":
      return {
        code: "98",
        onlineStatus: true,
        checkinOk: true,
        checkoutOk: true,
        acsRenewalPolicy: true,
        statusUpdateOk: false,
        offlineOk: false,
        timeoutPeriod: 30,
        retriesAllowed: 3,
        dateTimeSync: now,
        protocolVersion: "2.00",
        institutionId: "MAIN",
        supportedMessages: { ...noFlags(SupportedMessagePosition), checkout: true, checkin: true, login: true },
      };
    case "11":
      return {
        code: "12",
        ok: m.itemIdentifier !== "LOST",
        renewalOk: false,
        magneticMedia: "N",
        desensitize: "Y",
        transactionDate: now,
        institutionId: m.institutionId,
        patronIdentifier: m.patronIdentifier,
        itemIdentifier: m.itemIdentifier,
        titleIdentifier: "The Hobbit",
        dueDate: "2025-02-05",
        ...(m.itemIdentifier === "LOST" ? { screenMessages: ["Item is lost"] } : {}),
      };
    case "09":
      return {
        code: "10",
        ok: true,
        resensitize: true,
        magneticMedia: "N",
        alert: false,
        transactionDate: now,
        institutionId: m.institutionId,
        itemIdentifier: m.itemIdentifier,
        permanentLocation: m.currentLocation,
      };
    case "23":
      return {
        code: "24",
        patronStatus: { ...noFlags(PatronStatusPosition), cardReportedLost: true },
        language: "001",
        transactionDate: now,
        institutionId: m.institutionId,
        patronIdentifier: m.patronIdentifier,
        personalName: "Zoë Ågren",
        validPatron: true,
        validPatronPassword: m.patronPassword === "1234",
      };
    default:
      return "96";
  }
}

/** Starts a server on a free port of 127.0.0.1. */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const charset = opts.charset ?? "ibm850";
  const terminator = opts.terminator ?? "\r";
  const frames: string[] = [];
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let responses = 0;

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let last: Uint8Array | null = null;
    let buffered = "";
    socket.on("data", async (chunk: Buffer) => {
      chunks.push(chunk);
      buffered += chunk.toString("latin1");
      for (let end = buffered.search(/[\r\n]/); end !== -1; end = buffered.search(/[\r\n]/)) {
        const text = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (text === "") continue;
        frames.push(text);
        const frame = Buffer.from(text, "latin1");
        const a = answer(frame, charset);
        const seq = parseRequest(frame, { timeZone: TZ, charset }).sequence;
        let out: Uint8Array | null;
        if (a === "resend") out = last ?? encodeMessage({ code: "96" }, { timeZone: TZ, errorDetection: true, terminator: "" });
        else if (a === "96") out = encodeMessage({ code: "96" }, { timeZone: TZ, errorDetection: seq !== null, terminator: "" });
        else out = encodeMessage(a, { timeZone: TZ, charset, terminator: "", ...(seq !== null ? { sequence: seq } : {}) });
        last = out;
        const sent = opts.tamper ? opts.tamper(out, responses++) : out;
        if (sent === null) continue;
        const bytes = Buffer.concat([sent, Buffer.from(terminator, "latin1")]);
        if (!opts.split) socket.write(bytes);
        else for (const b of bytes) await new Promise<void>((r) => socket.write(Buffer.of(b), () => setTimeout(r, 1)));
      }
    });
  };

  const server: Server = opts.tls
    ? createTlsServer(
        {
          key: fixture("server.key"),
          cert: fixture("server.crt"),
          ...(opts.tls === "mutual" ? { ca: fixture("ca.crt"), requestCert: true, rejectUnauthorized: true } : {}),
        },
        onConnection,
      )
    : createTcpServer(onConnection);
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    frames,
    wire: () => Buffer.concat(chunks).toString("latin1"),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Flips the last checksum digit of a response (so its AZ no longer verifies). */
export function corruptChecksum(response: Uint8Array): Uint8Array {
  const out = Uint8Array.from(response);
  const i = out.length - 1;
  out[i] = out[i] === 0x30 ? 0x31 : 0x30;
  return out;
}
