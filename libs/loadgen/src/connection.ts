/**
 * One kiosk's TCP connection: SIP2 is lock-step (one request, one response), so
 * {@link SipConnection.exchange} sends a request with error detection (AY/AZ) and
 * waits for the next complete frame. It never throws for network or protocol
 * trouble: every exchange ends as a response or a classified error.
 */
import net from "node:net";
import { performance } from "node:perf_hooks";
import { type CodecOptions, encodeMessage, type MessageOf, parseResponse, type RequestCode, ResponseCodeFor, type SipRequest, type SipResponse, Sip2Framer } from "@circulate/sip2";
import type { ErrorKind } from "./report.js";

/** The answer to one request, with the time from write to the complete response frame. */
export type Exchange<R extends SipResponse = SipResponse> =
  | { readonly type: "response"; readonly message: R; readonly latencyMs: number }
  | { readonly type: "error"; readonly kind: ErrorKind; readonly detail: string; readonly latencyMs: number | null };

/** After these the byte stream may be out of step with our requests: reconnect. */
export const FATAL_ERRORS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(["timeout", "closed"]);

/** The response message that answers request code `C` (24 for 23, 12 for 11…). */
export type ResponseTo<C extends RequestCode> = (typeof ResponseCodeFor)[C] extends infer R extends SipResponse["code"] ? MessageOf<R> : never;

type Waiter = (frame: { bytes: Uint8Array; at: number } | { error: ErrorKind; detail: string }) => void;

export class SipConnection {
  readonly #socket: net.Socket;
  readonly #framer = new Sip2Framer();
  readonly #codec: CodecOptions;
  #waiter: Waiter | null = null;
  #closed: string | null = null;
  #sequence = 0;

  private constructor(socket: net.Socket, codec: CodecOptions) {
    this.#socket = socket;
    this.#codec = codec;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      const at = performance.now();
      for (const ev of this.#framer.push(chunk)) {
        const waiter = this.#waiter;
        // A frame nobody waits for (unsolicited, or a second response) is dropped; the
        // next exchange's AY check catches a stream that drifted out of step.
        if (!waiter) continue;
        this.#waiter = null;
        waiter(ev.type === "frame" ? { bytes: ev.bytes, at } : { error: "bad_response", detail: ev.reason });
      }
    });
    const end = (why: string) => {
      this.#closed ??= why;
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter?.({ error: "closed", detail: this.#closed });
    };
    socket.on("error", (err) => end(err.message));
    socket.on("close", () => end("connection closed by the server"));
  }

  /** Connects; rejects with the reason when the server cannot be reached within `timeoutMs`. */
  static open(host: string, port: number, codec: CodecOptions, timeoutMs: number): Promise<SipConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new SipConnection(socket, codec));
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Whether the connection is still usable. */
  get open(): boolean {
    return this.#closed === null;
  }

  /**
   * Sends `request` with the next AY (0–9, wrapping) and an AZ, and waits for the
   * response, which must have the answering code and echo the AY.
   */
  async exchange<C extends Exclude<RequestCode, "97">>(request: SipRequest & { code: C }, timeoutMs: number): Promise<Exchange<ResponseTo<C>>> {
    const expect: string = ResponseCodeFor[request.code as C];
    if (this.#closed !== null) return { type: "error", kind: "closed", detail: this.#closed, latencyMs: null };
    const sequence = this.#sequence;
    this.#sequence = (sequence + 1) % 10;
    const bytes = encodeMessage(request, { ...this.#codec, sequence });
    const started = performance.now();
    const frame = await new Promise<Parameters<Waiter>[0]>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve({ error: "timeout", detail: `no response within ${timeoutMs} ms` });
      }, timeoutMs);
      this.#waiter = (f) => {
        clearTimeout(timer);
        resolve(f);
      };
      this.#socket.write(bytes);
    });
    if ("error" in frame) {
      // A late answer would be taken for the next request's: start over on a new connection.
      if (frame.error === "timeout") this.close();
      return { type: "error", kind: frame.error, detail: frame.detail, latencyMs: null };
    }
    const latencyMs = frame.at - started;
    const fail = (kind: ErrorKind, detail: string) => ({ type: "error" as const, kind, detail, latencyMs });
    const parsed = parseResponse(frame.bytes, this.#codec);
    if (!parsed.ok) return fail("bad_response", `${parsed.error.code}: ${parsed.error.reason}`);
    if (parsed.message.code === "96") return fail("resend", "the server asked for a resend (96)");
    if (parsed.checksum !== "valid") return fail("bad_checksum", `response checksum ${parsed.checksum}`);
    if (parsed.message.code !== expect) return fail("bad_response", `expected a ${expect}, got a ${parsed.message.code}`);
    if (parsed.sequence !== sequence) return fail("sequence", `sent AY${sequence}, the response has ${parsed.sequence === null ? "no AY" : `AY${parsed.sequence}`}`);
    return { type: "response", message: parsed.message as ResponseTo<C>, latencyMs };
  }

  /** Closes the socket (idempotent). */
  close(): void {
    this.#closed ??= "closed by the load generator";
    this.#socket.destroy();
  }
}
