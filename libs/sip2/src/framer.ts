/**
 * Streaming framer: turns TCP chunks into raw message frames. TCP has no message
 * boundaries, so one chunk may hold several messages or a fraction of one.
 *
 * - CR, CR LF and LF all end a frame (kiosks differ; sip2-reference.md §1.2).
 * - Leading whitespace/control bytes of a frame (the LF of a CR LF pair, stray NULs) and
 *   trailing control bytes are trimmed; frames that end up empty are dropped.
 * - A frame longer than `maxFrameBytes` is reported once as an error event and its bytes
 *   are discarded up to the next terminator, so memory stays bounded by `maxFrameBytes`.
 * - Frames are raw bytes: verify the checksum and decode with the parser afterwards.
 */

/** A complete frame (without terminator) or an oversize error. */
export type FramerEvent =
  | { type: "frame"; bytes: Uint8Array }
  | {
      type: "error";
      code: "frame_too_large";
      reason: string;
      /** Bytes of the oversize frame dropped when the error was raised (more may follow until the next terminator). */
      discardedBytes: number;
    };

/** Options for {@link Sip2Framer}. */
export interface FramerOptions {
  /** Largest accepted frame in bytes, terminator excluded. Default 16 KiB (a full 64 is ~10 KiB at most). */
  maxFrameBytes?: number;
}

/** Default maximum frame size: 16 KiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024;

const CR = 0x0d;
const LF = 0x0a;

function isJunk(b: number): boolean {
  return b <= 0x20 || b === 0x7f;
}

/**
 * Incremental SIP2 framer. Feed it chunks with {@link Sip2Framer.push}; it returns the
 * frames completed by that chunk. Pure (no I/O); one instance per connection.
 *
 * @example
 * const framer = new Sip2Framer();
 * socket.on("data", (chunk) => {
 *   for (const ev of framer.push(chunk)) if (ev.type === "frame") handle(ev.bytes);
 * });
 */
export class Sip2Framer {
  readonly maxFrameBytes: number;
  #parts: Uint8Array[] = [];
  #size = 0;
  #discarding = false;
  #discarded = 0;

  constructor(options: FramerOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxFrameBytes must be a positive integer, got ${max}`);
    this.maxFrameBytes = max;
  }

  /** Bytes of the incomplete frame held so far (never more than `maxFrameBytes`). */
  get buffered(): number {
    return this.#size;
  }

  /** Feeds one chunk; returns the events it completes, in order. */
  push(chunk: Uint8Array): FramerEvent[] {
    const events: FramerEvent[] = [];
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      // Skip leading junk of a new frame, so a CR LF's LF or stray NULs never count.
      if (this.#size === 0 && !this.#discarding) {
        while (pos < n && isJunk(chunk[pos]!)) pos++;
        if (pos >= n) break;
      }
      let end = pos;
      while (end < n && chunk[end] !== CR && chunk[end] !== LF) end++;
      this.#append(chunk, pos, end, events);
      if (end < n) {
        this.#finish(events);
        pos = end + 1;
      } else {
        pos = end;
      }
    }
    return events;
  }

  /**
   * Ends the stream: returns the unterminated remainder as a last frame (some clients omit
   * the final CR), or nothing. The framer is reset.
   */
  end(): FramerEvent[] {
    const events: FramerEvent[] = [];
    this.#finish(events);
    return events;
  }

  #append(chunk: Uint8Array, from: number, to: number, events: FramerEvent[]): void {
    const len = to - from;
    if (len === 0) return;
    if (this.#discarding) {
      this.#discarded += len;
      return;
    }
    if (this.#size + len > this.maxFrameBytes) {
      this.#discarding = true;
      this.#discarded = this.#size + len;
      this.#parts = [];
      this.#size = 0;
      events.push({
        type: "error",
        code: "frame_too_large",
        reason: `frame exceeds ${this.maxFrameBytes} bytes; discarding it up to the next terminator`,
        discardedBytes: this.#discarded,
      });
      return;
    }
    this.#parts.push(new Uint8Array(chunk.subarray(from, to))); // a copy: never pin the caller's chunk
    this.#size += len;
  }

  #finish(events: FramerEvent[]): void {
    if (this.#discarding) {
      this.#discarding = false;
      this.#discarded = 0;
      return;
    }
    if (this.#size === 0) return;
    const frame = this.#parts.length === 1 ? this.#parts[0]! : concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    let end = frame.length;
    while (end > 0 && (frame[end - 1]! < 0x20 || frame[end - 1] === 0x7f)) end--;
    if (end > 0) events.push({ type: "frame", bytes: end === frame.length ? frame : frame.subarray(0, end) });
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
