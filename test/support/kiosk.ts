/**
 * A small SIP2 kiosk over a real socket (TCP or TLS), for end-to-end transcripts:
 * send a raw line or an encoded request (optionally with AY/AZ), read the next
 * response frame, parse it. Uses the project's own codec, so what it checks is
 * what a kiosk would see on the wire.
 *
 * ```ts
 * const kiosk = await Kiosk.connect(gateway.tcpPort);
 * expect((await kiosk.ask({ code: "93", … })).message).toMatchObject({ code: "94", ok: true });
 * ```
 */
import net from "node:net";
import tls from "node:tls";
import {
  type Charset,
  encodeMessage,
  type MessageOf,
  type ParseSuccess,
  parseResponse,
  parseSipDate,
  type ResponseCode,
  type ResponseCodeFor,
  type SipRequest,
  type SipResponse,
  Sip2Framer,
} from "@circulate/sip2";

/** The demo library's zone: the accounts file reads and writes kiosk dates in it. */
export const DEMO_TIME_ZONE = "America/New_York";

export interface KioskOptions {
  /** Charset of the account the kiosk logs in as (demo accounts: ibm850). */
  readonly charset?: Charset;
  /** Zone the kiosk's dates are in (the account's). */
  readonly timeZone?: string;
  /** How long `next` waits for a frame before failing the test. */
  readonly timeoutMs?: number;
  /**
   * Number requests AY0…AY9 in turn, as kiosks with error detection do (default true). It also
   * keeps two equal requests in the same second from being byte-identical — a transaction sent
   * again as the very next request is a retry, which the gateway answers with the first outcome.
   */
  readonly autoSequence?: boolean;
}

/** One response as it came off the wire, and as parsed. */
export interface Reply<M extends SipResponse = SipResponse> {
  /** The frame without its CR, decoded as latin1 (byte for byte). */
  readonly raw: string;
  readonly bytes: Buffer;
  readonly message: M;
  readonly sequence: number | null;
  readonly checksum: ParseSuccess<SipResponse>["checksum"];
}

/** The response a request code is answered with (12 for 11, …). */
type ResponseTo<R extends SipRequest> = (typeof ResponseCodeFor)[R["code"]] extends infer C extends ResponseCode ? MessageOf<C> & SipResponse : SipResponse;

export class Kiosk {
  readonly #framer = new Sip2Framer();
  readonly #frames: Buffer[] = [];
  #waiters: (() => void)[] = [];
  #closed = false;
  readonly charset: Charset;
  readonly timeZone: string;
  readonly timeoutMs: number;
  readonly autoSequence: boolean;
  #sequence = 0;

  private constructor(
    readonly socket: net.Socket,
    options: KioskOptions,
  ) {
    this.charset = options.charset ?? "ibm850";
    this.timeZone = options.timeZone ?? DEMO_TIME_ZONE;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.autoSequence = options.autoSequence ?? true;
    socket.on("data", (chunk: Buffer) => {
      for (const ev of this.#framer.push(chunk)) if (ev.type === "frame") this.#frames.push(Buffer.from(ev.bytes));
      this.#wake();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
    // A reset shows up as "closed" to a waiting `next`; the error itself carries nothing a test needs.
    socket.on("error", () => {});
  }

  /** A plain TCP kiosk on 127.0.0.1. */
  static async connect(port: number, options: KioskOptions = {}): Promise<Kiosk> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.setNoDelay(true);
    return new Kiosk(socket, options);
  }

  /** A TLS kiosk; `ca` is the CA that signed the gateway's certificate. */
  static async connectTls(port: number, ca: Buffer, options: KioskOptions = {}): Promise<Kiosk> {
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca });
    await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
    socket.setNoDelay(true);
    return new Kiosk(socket, options);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** The bytes a request encodes to, CR-terminated; `sequence` adds AY<n>AZ<checksum>. */
  encode(request: SipRequest, sequence?: number): Uint8Array {
    return encodeMessage(request, { timeZone: this.timeZone, charset: this.charset, ...(sequence === undefined ? {} : { sequence }) });
  }

  /** Writes raw bytes (a string is sent as latin1, byte for byte; add the CR yourself). */
  sendRaw(data: string | Uint8Array): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /**
   * Encodes and writes a request; returns the AY it carried. `sequence`: a number for that AY,
   * `null` for no trailer, left out for the next one in turn (or none without `autoSequence`).
   */
  send(request: SipRequest, sequence?: number | null): number | undefined {
    const ay = sequence === null ? undefined : (sequence ?? (this.autoSequence ? this.#sequence++ % 10 : undefined));
    this.sendRaw(this.encode(request, ay));
    return ay;
  }

  /** The next response frame (raw bytes, no CR); fails after the timeout or when the socket closes. */
  async nextFrame(timeoutMs = this.timeoutMs): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.#closed) throw new Error("connection closed before a response");
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.#frames.shift()!;
  }

  /** The next response, parsed; an unreadable one fails the test with its bytes. */
  async next<M extends SipResponse = SipResponse>(timeoutMs?: number): Promise<Reply<M>> {
    const bytes = await this.nextFrame(timeoutMs);
    const parsed = parseResponse(bytes, { timeZone: this.timeZone, charset: this.charset });
    if (!parsed.ok) throw new Error(`unreadable response ${JSON.stringify(bytes.toString("latin1"))}: ${parsed.error.reason}`);
    return { raw: bytes.toString("latin1"), bytes, message: parsed.message as M, sequence: parsed.sequence, checksum: parsed.checksum };
  }

  /** Sends a request and reads its response, typed by the request's code. */
  async ask<R extends SipRequest>(request: R, sequence?: number | null): Promise<Reply<ResponseTo<R>>> {
    this.send(request, sequence);
    return this.next<ResponseTo<R>>();
  }

  /** Sends raw bytes and reads the response. */
  async askRaw(data: string | Uint8Array): Promise<Reply> {
    this.sendRaw(data);
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A free-text SIP date (AH) as an instant in the demo's zone; fails the test when it is not one. */
export function sipDate(raw: string | undefined, timeZone = DEMO_TIME_ZONE): Date {
  const r = parseSipDate(raw ?? "", { timeZone });
  if (!r.ok || r.date === null) throw new Error(`not a SIP date: ${JSON.stringify(raw)}`);
  return r.date;
}

/** Local calendar date (YYYY-MM-DD) of an instant in the demo's zone. */
export function localDay(at: Date, timeZone = DEMO_TIME_ZONE): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(at);
}

/** Whole days from the local date of `from` to that of `to`. */
export function daysBetween(from: Date, to: Date, timeZone = DEMO_TIME_ZONE): number {
  return Math.round((Date.parse(localDay(to, timeZone)) - Date.parse(localDay(from, timeZone))) / 86_400_000);
}
