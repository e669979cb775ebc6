/**
 * Streaming framer: turns TCP chunks into raw message frames. TCP has no message
 * boundaries, so one chunk may hold several messages or a fraction of one.
 *
 * - CR, CR LF and LF all end a frame (kiosks differ); each frame says which one it ended
 *   with, so a server can answer in kind.
 * - A bare terminator (an empty line) is ignored, as peers do; every other line is a frame,
 *   even one of only spaces or NULs, so a server can answer every line it was sent.
 * - Leading whitespace/control bytes and trailing control bytes of a frame are trimmed; a line
 *   with nothing else is passed on untrimmed (the parser reports it as empty).
 * - A frame longer than `maxFrameBytes` is discarded up to its terminator and reported there
 *   once, as an error event, so memory stays bounded by `maxFrameBytes`.
 * - Frames are raw bytes: verify the checksum and decode with the parser afterwards.
 */

/** How a frame ended; `null` for the unterminated remainder returned by `end()`. */
export type Terminator = "cr" | "crlf" | "lf";

/** A complete frame (without terminator) or an oversize error. */
export type FramerEvent =
  | { type: "frame"; bytes: Uint8Array; terminator: Terminator | null }
  | {
      type: "error";
      code: "frame_too_large";
      reason: string;
      /** Bytes of the oversize frame that were dropped. */
      discardedBytes: number;
      terminator: Terminator | null;
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
  /** The previous chunk ended with a frame's CR: an LF first in this chunk completes a CR LF. */
  #afterCr = false;
  #lastTerminator: Terminator = "cr";

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
    if (this.#afterCr && n > 0) {
      this.#afterCr = false;
      this.#lastTerminator = chunk[0] === LF ? "crlf" : "cr";
      if (chunk[0] === LF) pos = 1;
    }
    while (pos < n) {
      let end = pos;
      while (end < n && chunk[end] !== CR && chunk[end] !== LF) end++;
      this.#append(chunk, pos, end);
      if (end >= n) break;
      let terminator: Terminator;
      if (chunk[end] === LF) {
        terminator = "lf";
        pos = end + 1;
      } else if (end + 1 < n) {
        terminator = chunk[end + 1] === LF ? "crlf" : "cr";
        pos = terminator === "crlf" ? end + 2 : end + 1;
      } else {
        // The LF of a CR LF may be in the next chunk; a frame cannot wait for it (a CR-only
        // client would wait forever), so the connection's last known terminator decides.
        terminator = this.#lastTerminator === "crlf" ? "crlf" : "cr";
        this.#afterCr = true;
        pos = n;
      }
      if (!this.#afterCr) this.#lastTerminator = terminator;
      this.#finish(events, terminator);
    }
    return events;
  }

  /**
   * Ends the stream: returns the unterminated remainder as a last frame (some clients omit
   * the final CR), or nothing. The framer is reset.
   */
  end(): FramerEvent[] {
    const events: FramerEvent[] = [];
    this.#finish(events, null);
    this.#afterCr = false;
    this.#lastTerminator = "cr";
    return events;
  }

  #append(chunk: Uint8Array, from: number, to: number): void {
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
      return;
    }
    this.#parts.push(new Uint8Array(chunk.subarray(from, to))); // a copy: never pin the caller's chunk
    this.#size += len;
  }

  #finish(events: FramerEvent[], terminator: Terminator | null): void {
    if (this.#discarding) {
      events.push({
        type: "error",
        code: "frame_too_large",
        reason: `frame exceeds ${this.maxFrameBytes} bytes; discarded`,
        discardedBytes: this.#discarded,
        terminator,
      });
      this.#discarding = false;
      this.#discarded = 0;
      return;
    }
    if (this.#size === 0) return;
    const frame = this.#parts.length === 1 ? this.#parts[0]! : concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    let start = 0;
    while (start < frame.length && isJunk(frame[start]!)) start++;
    let end = frame.length;
    while (end > start && (frame[end - 1]! < 0x20 || frame[end - 1] === 0x7f)) end--;
    const bytes = start === end || (start === 0 && end === frame.length) ? frame : frame.subarray(start, end);
    events.push({ type: "frame", bytes, terminator });
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
