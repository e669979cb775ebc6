/**
 * A SIP2 client session as a kiosk runs it: one request at a time, each answered by one
 * response. With error detection on it numbers requests AY0…AY9 (then 0 again), verifies
 * every response's AZ and asks for a resend (97) when it fails; like a kiosk it sends the
 * request again when the server answers 96 (it could not read it). See
 * sip2-reference.md §2.6.
 */
import { appendTrailer, type Charset, encodeMessage, encodeText, type SipRequest, splitTrailer } from "@circulate/sip2";
import { Sip2Connection, type ConnectOptions, Sip2NetworkError } from "./connection.js";
import type { Exchange } from "./render.js";

/** The wire terminators a client can use; the SIP2 spec says CR. */
export const TERMINATORS = { cr: "\r", crlf: "\r\n", lf: "\n" } as const;
export type Terminator = keyof typeof TERMINATORS;

/** How the client talks. */
export interface ClientOptions {
  charset: Charset;
  /** Zone SIP dates are written and read in. */
  timeZone: string;
  /** Add AY/AZ to requests and verify AZ on responses. */
  errorDetection: boolean;
  terminator: Terminator;
  /** Milliseconds to wait for each response. */
  timeoutMs: number;
  /** How many 97s (bad checksum) or re-sends (after a 96) before giving up on one request. */
  retries: number;
}

// 97 never carries AY; with error detection it is exactly "97AZFEF5" (sip2-reference.md §3.16).
const RESEND_WITH_CHECKSUM = appendTrailer(encodeText("97", "ibm850"), null);
const RESEND_PLAIN = encodeText("97", "ibm850");

function codeOf(bytes: Uint8Array): string {
  return String.fromCharCode(bytes[0] ?? 0x20, bytes[1] ?? 0x20);
}

/** A connected client; create with {@link Sip2Client.connect}. */
export class Sip2Client {
  #sequence = 0;

  constructor(
    readonly connection: Sip2Connection,
    readonly options: ClientOptions,
  ) {}

  /** Connects to a server (TCP or TLS). Rejects with {@link Sip2NetworkError}. */
  static async connect(connect: ConnectOptions, options: ClientOptions): Promise<Sip2Client> {
    return new Sip2Client(await Sip2Connection.open(connect), options);
  }

  /** The AY the next numbered request will carry. */
  get nextSequence(): number {
    return this.#sequence;
  }

  /** Encodes a request model (with AY/AZ when error detection is on), sends it and waits for its answer. */
  send(message: SipRequest): Promise<Exchange> {
    const body = encodeMessage(message, { charset: this.options.charset, timeZone: this.options.timeZone, errorDetection: false, terminator: "" });
    return this.#exchange(this.#withTrailer(body, message.code));
  }

  /**
   * Sends a line as typed (in the client's charset). With error detection on, AY/AZ are
   * added unless the line already ends with a trailer.
   */
  sendRaw(line: string): Promise<Exchange> {
    const bytes = encodeText(line, this.options.charset);
    if (!this.options.errorDetection || splitTrailer(bytes).form !== "none") return this.#exchange(bytes);
    return this.#exchange(this.#withTrailer(bytes, line.slice(0, 2)));
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.connection.close();
  }

  #withTrailer(body: Uint8Array, code: string): Uint8Array {
    if (!this.options.errorDetection) return body;
    if (code === "96" || code === "97") return appendTrailer(body, null);
    const sequence = this.#sequence;
    this.#sequence = (sequence + 1) % 10;
    return appendTrailer(body, sequence);
  }

  async #write(bytes: Uint8Array): Promise<void> {
    const terminator = TERMINATORS[this.options.terminator];
    const out = new Uint8Array(bytes.length + terminator.length);
    out.set(bytes, 0);
    for (let i = 0; i < terminator.length; i++) out[bytes.length + i] = terminator.charCodeAt(i);
    await this.connection.write(out);
  }

  async #exchange(request: Uint8Array): Promise<Exchange> {
    const { errorDetection, retries, timeoutMs } = this.options;
    const stale = this.connection.discardPending();
    const warnings = stale > 0 ? [`discarded ${stale} late response(s) to an earlier request`] : [];
    const isResend = codeOf(request) === "97";
    const expected = errorDetection && !isResend ? splitTrailer(request).sequence : null;
    const resend = errorDetection ? RESEND_WITH_CHECKSUM : RESEND_PLAIN;
    let resends = 0;
    let retransmits = 0;
    let lastWasResend = isResend;
    const done = (response: Uint8Array): Exchange => ({ request, response, resends, retransmits, warnings });

    await this.#write(request);
    for (;;) {
      let frame: Uint8Array;
      try {
        frame = await this.connection.nextFrame(timeoutMs);
      } catch (e) {
        if (e instanceof Sip2NetworkError && warnings.length > 0) throw new Sip2NetworkError(e.code, `${e.message} (${warnings.join("; ")})`);
        throw e;
      }
      const trailer = splitTrailer(frame);
      if (errorDetection && trailer.checksum === "invalid") {
        if (resends >= retries) {
          warnings.push(`the response's checksum is still invalid after ${resends} resend request(s)`);
          return done(frame);
        }
        resends++;
        lastWasResend = true;
        await this.#write(resend);
        continue;
      }
      if (codeOf(frame) === "96") {
        // The server could not read what we sent. After our own 97 that means the link is bad.
        if (lastWasResend) {
          warnings.push("the server answered our resend request with 96: it has nothing to resend or could not read it");
          return done(frame);
        }
        if (retransmits >= retries) {
          warnings.push(`the server still answers 96 after ${retransmits + 1} sends of the request`);
          return done(frame);
        }
        retransmits++;
        await this.#write(request);
        continue;
      }
      // SC rule: a response whose AY is not ours answers someone else's request — discard and wait.
      // Answers to a 97 are exempt: servers rebuild the resent trailer (Koha sends AY0).
      if (expected !== null && !lastWasResend && trailer.sequence !== null && trailer.sequence !== expected) {
        warnings.push(`discarded a response with AY${trailer.sequence} (expected AY${expected})`);
        continue;
      }
      if (errorDetection && trailer.checksum === "absent") warnings.push("the response has no checksum (the server does not use error detection)");
      return done(frame);
    }
  }
}
