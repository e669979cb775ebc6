import net from "node:net";

/** One reply as it came off the wire: its bytes and the line ending after them. */
export interface WireReply {
  body: Buffer;
  ending: "\r" | "\r\n" | "\n";
}

/**
 * Cuts a byte stream into replies at CR LF, CR or LF. A CR that ends the stream counts as a
 * complete CR ending (its LF, if any, would be in a later chunk).
 */
export function splitReplies(stream: Buffer): { replies: WireReply[]; rest: Buffer } {
  const replies: WireReply[] = [];
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    const b = stream[i];
    if (b !== 0x0d && b !== 0x0a) continue;
    const crlf = b === 0x0d && stream[i + 1] === 0x0a;
    replies.push({ body: stream.subarray(start, i), ending: crlf ? "\r\n" : b === 0x0d ? "\r" : "\n" });
    if (crlf) i++;
    start = i + 1;
  }
  return { replies, rest: stream.subarray(start) };
}

/** A SIP2 client on a raw socket that keeps every byte it receives, to check endings exactly. */
export class WireClient {
  #stream = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.#stream = Buffer.concat([this.#stream, chunk]);
      this.#wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  static async connect(port: number, localAddress?: string): Promise<WireClient> {
    const socket = net.connect({ port, host: "127.0.0.1", ...(localAddress ? { localAddress } : {}) });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    return new WireClient(socket);
  }

  /** Everything received so far. */
  get stream(): Buffer {
    return this.#stream;
  }

  send(data: string | Uint8Array): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Waits until `done(stream)` holds; throws (with what arrived) when it does not in time. */
  async until(done: (stream: Buffer) => boolean, timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!done(this.#stream)) {
      const left = until - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`${this.closed ? "closed" : "timed out"} waiting; received ${JSON.stringify(this.#stream.toString("latin1"))}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for `count` replies in all (whatever their endings) and returns them. */
  async replies(count: number, timeoutMs?: number): Promise<WireReply[]> {
    await this.until((s) => splitReplies(s).replies.length >= count, timeoutMs);
    return splitReplies(this.#stream).replies;
  }

  /**
   * Reads like a client that only knows `ending` (Koha's emulator in CR LF mode reads up to
   * CR LF): the next reply is whatever precedes the next `ending`, from `from` on.
   */
  async readUpTo(ending: string, from: number, timeoutMs?: number): Promise<{ body: string; next: number }> {
    await this.until((s) => s.indexOf(ending, from, "latin1") >= 0, timeoutMs);
    const at = this.#stream.indexOf(ending, from, "latin1");
    return { body: this.#stream.subarray(from, at).toString("latin1"), next: at + ending.length };
  }

  #wake() {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  close(): void {
    this.socket.destroy();
  }
}
