/**
 * A SIP2 kiosk on a real TCP socket, as small as the browser test needs: requests encoded and
 * answers parsed with the project's codec (IBM850, dates in UTC: the gateway's defaults for an
 * account made in the console), AY/AZ numbered in turn.
 */
import net from "node:net";
import { encodeMessage, parseResponse, type SipRequest, type SipResponse, Sip2Framer } from "@circulate/sip2";

const CODEC = { timeZone: "UTC", charset: "ibm850" } as const;

export class TestKiosk {
  readonly #framer = new Sip2Framer();
  readonly #frames: Uint8Array[] = [];
  #wake: (() => void) | undefined;
  #sequence = 0;
  /** Resolves when the gateway (or the kiosk) closes the connection. */
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      for (const ev of this.#framer.push(chunk)) if (ev.type === "frame") this.#frames.push(ev.bytes);
      this.#wake?.();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      socket.once("close", () => {
        this.#wake?.();
        resolve();
      }),
    );
  }

  static async connect(port: number): Promise<TestKiosk> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    return new TestKiosk(socket);
  }

  /** Sends a request and reads the answer. */
  async ask<M extends SipResponse = SipResponse>(request: SipRequest, timeoutMs = 10_000): Promise<M> {
    this.socket.write(encodeMessage(request, { ...CODEC, sequence: this.#sequence++ % 10 }));
    const until = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.socket.destroyed) throw new Error("connection closed before an answer");
      if (Date.now() > until) throw new Error(`no answer to ${request.code} within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.#wake = r;
        setTimeout(r, 100);
      });
    }
    const parsed = parseResponse(this.#frames.shift()!, CODEC);
    if (!parsed.ok) throw new Error(`unreadable answer to ${request.code}: ${parsed.error.reason}`);
    return parsed.message as M;
  }

  close(): void {
    this.socket.destroy();
  }
}

export const login = (user: string, password: string): SipRequest => ({ code: "93", uidAlgorithm: "0", pwdAlgorithm: "0", loginUserId: user, loginPassword: password });

/** A 99: status 0 OK, 1 printer out of paper, 2 about to shut down. */
export const scStatus = (status: "0" | "1" | "2"): SipRequest => ({ code: "99", statusCode: status, maxPrintWidth: 40, protocolVersion: "2.00" });

export const patronStatus = (patron: string, pin: string): SipRequest => ({
  code: "23",
  language: "001",
  transactionDate: new Date(),
  institutionId: "MAIN",
  patronIdentifier: patron,
  terminalPassword: "",
  patronPassword: pin,
});

export const checkout = (patron: string, item: string, pin: string): SipRequest => ({
  code: "11",
  scRenewalPolicy: true,
  noBlock: false,
  transactionDate: new Date(),
  nbDueDate: null,
  institutionId: "MAIN",
  patronIdentifier: patron,
  itemIdentifier: item,
  terminalPassword: "",
  patronPassword: pin,
});

/** A 09 at the kiosk's own time, nothing else set. */
export const checkin = (item: string): SipRequest => ({
  code: "09",
  noBlock: false,
  transactionDate: new Date(),
  returnDate: new Date(),
  currentLocation: "",
  institutionId: "MAIN",
  itemIdentifier: item,
  terminalPassword: "",
});
