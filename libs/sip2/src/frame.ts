/**
 * First stage of parsing, shared by parse and describe: trim one raw message, split off the
 * error-detection trailer, verify the checksum on the raw bytes, decode the body and find
 * the message definition. Never throws.
 */
import { decodeText, encodeText } from "./charset.js";
import { type ChecksumStatus, splitTrailer, type TrailerInfo, verifyCodePointChecksum } from "./checksum.js";
import type { Direction, MessageDef } from "./fields.js";
import { messageDef } from "./messages/index.js";
import { type CodecOptions, type ResolvedOptions, resolveOptions } from "./options.js";

/** Why a message could not be parsed at all. */
export const ParseErrorCode = {
  /** Nothing left after trimming whitespace, control bytes and delimiters. */
  empty: "empty",
  /** The message does not start with two digits. */
  badCode: "bad_code",
  /** Two digits that are not a SIP2 2.00 message code. */
  unknownCode: "unknown_code",
  /** A response code given to parseRequest, or a request code given to parseResponse. */
  wrongDirection: "wrong_direction",
  /** Fewer characters than the message's fixed part needs. */
  shortFixedPart: "short_fixed_part",
  /** The options are invalid (unknown time zone, charset or bad delimiter). */
  invalidOption: "invalid_option",
  /** A bug in this library (parsing is designed never to fail this way). */
  internalError: "internal_error",
} as const;
export type ParseErrorCode = (typeof ParseErrorCode)[keyof typeof ParseErrorCode];

/** A parse failure: machine-readable code plus a reason for logs. */
export interface ParseError {
  /** What went wrong. */
  code: ParseErrorCode;
  /** Human-readable explanation. */
  reason: string;
  /** The 2-char message code, when the message had one. */
  messageCode?: string;
}

/** Things the lenient parser accepted but that a strict reader would not. */
export type ParseWarningCode =
  | "missing_required"
  | "duplicate_field"
  | "bad_value"
  | "short_segment"
  | "bad_field_id"
  | "bad_sequence"
  | "misplaced_checksum"
  | "dangling_checksum"
  | "checksum_code_points";

/** One leniency the parser applied. */
export interface ParseWarning {
  /** What kind of deviation. */
  code: ParseWarningCode;
  /** Field name or ID concerned, if any. */
  field?: string;
  /** Human-readable explanation. */
  reason: string;
}

/** Options for parsing. */
export interface ParseOptions extends CodecOptions {
  /**
   * Also accept a checksum computed over Unicode code points instead of bytes (JSIP2, Libki
   * and Polaris do this) when the byte checksum fails and the message has non-ASCII bytes.
   * Default false.
   */
  codePointChecksum?: boolean;
}

export type Framed =
  | { ok: false; error: ParseError; sequence: number | null; checksum: ChecksumStatus }
  | {
      ok: true;
      def: MessageDef;
      text: string;
      sequence: number | null;
      checksum: ChecksumStatus;
      warnings: ParseWarning[];
      options: ResolvedOptions;
    };

function isJunk(b: number): boolean {
  return b <= 0x20 || b === 0x7f;
}

function fail(code: ParseErrorCode, reason: string, trailer?: TrailerInfo, messageCode?: string): Framed {
  return {
    ok: false,
    error: { code, reason, ...(messageCode !== undefined ? { messageCode } : {}) },
    sequence: trailer?.sequence ?? null,
    checksum: trailer?.checksum ?? "absent",
  };
}

/** Trims, splits the trailer, verifies the checksum and finds the definition of one message. */
export function frameMessage(input: Uint8Array | string, opts: ParseOptions, direction?: Direction): Framed {
  const resolved = resolveOptions(opts);
  if (typeof resolved === "string") return fail("invalid_option", resolved);
  const bytes = typeof input === "string" ? encodeText(input, resolved.charset) : input;
  if (!(bytes instanceof Uint8Array)) return fail("empty", "input is neither bytes nor a string");

  let start = 0;
  while (start < bytes.length && isJunk(bytes[start]!)) start++;
  let end = bytes.length;
  while (end > start && (bytes[end - 1]! < 0x20 || bytes[end - 1] === 0x7f)) end--;
  let view = bytes.subarray(start, end);
  let trailer = splitTrailer(view);
  if (trailer.form === "none") {
    // Garbage after a trailer ("…AY1AZ1234|||  "). Without a trailer, trailing blanks may be
    // fixed-field data and a trailing delimiter is normal, so only a trailer that is
    // unmistakable (with AY, or the AZ of a 96/97) is taken from the trimmed message.
    const d = resolved.delimiterByte;
    let e = end;
    while (e > start && (isJunk(bytes[e - 1]!) || bytes[e - 1] === d)) e--;
    if (e !== end) {
      const t = splitTrailer(bytes.subarray(start, e));
      if (t.form === "ay-az" || t.form === "dangling" || (t.form === "az" && t.bodyEnd === 2)) {
        view = bytes.subarray(start, e);
        trailer = t;
      }
    }
  }
  const warnings: ParseWarning[] = [];
  if (trailer.anomalies.includes("bad_sequence")) {
    warnings.push({ code: "bad_sequence", field: "AY", reason: "sequence number is not a single digit; treated as absent" });
  }
  if (trailer.anomalies.includes("dangling_checksum")) {
    warnings.push({ code: "dangling_checksum", field: "AZ", reason: "AZ has no checksum digits" });
  }
  if (trailer.bodyEnd === 0) return fail("empty", "no message after trimming", trailer);
  const text = decodeText(view.subarray(0, trailer.bodyEnd), resolved.charset);

  if (trailer.checksum === "invalid" && opts.codePointChecksum && trailer.checksumValue !== undefined) {
    const upToAz = view.subarray(0, view.length - 4);
    if (upToAz.some((b) => b >= 0x80) && verifyCodePointChecksum(decodeText(upToAz, resolved.charset), trailer.checksumValue)) {
      trailer = { ...trailer, checksum: "valid" };
      warnings.push({ code: "checksum_code_points", field: "AZ", reason: "checksum matches the code-point sum, not the byte sum" });
    }
  }

  const code = text.slice(0, 2);
  if (!/^\d\d$/.test(code)) return fail("bad_code", `message does not start with a 2-digit code: ${JSON.stringify(text.slice(0, 12))}`, trailer);
  const def = messageDef(code);
  if (!def) return fail("unknown_code", `${code} is not a SIP2 2.00 message code`, trailer, code);
  if (direction && def.direction !== direction) {
    return fail("wrong_direction", `${code} (${def.name}) is a ${def.direction}, not a ${direction}`, trailer, code);
  }
  const have = text.length - 2;
  if (have < def.fixedLength) {
    return fail(
      "short_fixed_part",
      `${code} (${def.name}) needs ${def.fixedLength} fixed characters after the code, got ${have}`,
      trailer,
      code,
    );
  }
  return { ok: true, def, text, sequence: trailer.sequence, checksum: trailer.checksum, warnings, options: resolved };
}

/** A tagged segment as read from the wire. */
export interface Segment {
  id: string;
  value: string;
}

/**
 * Splits the tagged part of `text` (from `from`) on `delimiter`. Empty segments (`||`) are
 * skipped; one-character fragments are dropped with a warning; AY/AZ found inside the body
 * (a malformed trailer) are dropped with a warning.
 */
export function splitSegments(text: string, from: number, delimiter: string, warnings: ParseWarning[]): Segment[] {
  const out: Segment[] = [];
  let pos = from;
  while (pos < text.length) {
    let next = text.indexOf(delimiter, pos);
    if (next === -1) next = text.length;
    if (next - pos >= 2) {
      const id = text.slice(pos, pos + 2);
      const value = text.slice(pos + 2, next);
      if (id === "AY") {
        const why = /^\d$/.test(value) ? "is not followed by a checksum (AZ)" : "is not a single digit at the end";
        warnings.push({ code: "bad_sequence", field: "AY", reason: `sequence number ${JSON.stringify(value)} ${why}; ignored` });
      } else if (id === "AZ") {
        warnings.push({ code: "misplaced_checksum", field: "AZ", reason: "AZ is not at the end of the message; ignored" });
      } else {
        if (!/^[A-Z]{2}$/.test(id)) {
          warnings.push({ code: "bad_field_id", field: id, reason: `field ID ${JSON.stringify(id)} is not two upper-case letters; kept as unknown` });
        }
        out.push({ id, value });
      }
    } else if (next - pos === 1) {
      warnings.push({ code: "short_segment", reason: `fragment ${JSON.stringify(text.slice(pos, next))} is too short for a field; skipped` });
    }
    pos = next + 1;
  }
  return out;
}
