/**
 * Strict encoding: whatever the model holds, the bytes are spec-conformant — fixed fields
 * padded to width, required tags always present (empty if need be), values sanitised and
 * limited to 255 characters, upper-case checksum.
 */
import { encodeText } from "./charset.js";
import { computeChecksum } from "./checksum.js";
import { PatronStatusPosition, SummaryPosition, SupportedMessagePosition, writeFlags } from "./codes.js";
import { BLANK_SIP_DATE, formatSipDate, ZERO_SIP_DATE } from "./dates.js";
import { type FixedSpecAny, fixedWidth, sanitizeValue, splitLong, type TagSpecAny, truncate } from "./fields.js";
import { messageDef, type SipMessage } from "./messages/index.js";
import { type CodecOptions, type ResolvedOptions, resolveOptions } from "./options.js";

/** Options for encoding. */
export interface EncodeOptions extends CodecOptions {
  /**
   * AY sequence number (0–9). When set, the message ends with `AY<n>AZ<hhhh>`; 96 and 97
   * never carry AY and get `AZ<hhhh>` only. An ACS echoes the AY of the request it answers.
   */
  sequence?: number;
  /**
   * Append the error-detection trailer. Defaults to true when `sequence` is set. When true
   * without a sequence, `AY0` is used (96/97: AZ only).
   */
  errorDetection?: boolean;
  /** Bytes appended after the message: `\r` (default, per SPEC), `\r\n` (some terminals) or nothing. */
  terminator?: "\r" | "\r\n" | "";
  /** Dates as local time in `timeZone` with four blanks (default, what kiosks expect) or UTC with `   Z`. */
  dateStyle?: "local" | "utc";
}

/** Thrown by {@link encodeMessage} for programming errors (bad options, unknown code, invalid Date). */
export class Sip2EncodeError extends Error {
  override name = "Sip2EncodeError";
}

function digitsOrPad(value: string, width: number, pad: "zero" | "space"): string {
  if (pad === "zero" && /^\d+$/.test(value) && value.length < width) return value.padStart(width, "0");
  return value.padEnd(width, " ").slice(0, width);
}

function clampInt(value: number, width: number): string {
  const max = 10 ** width - 1;
  const n = Math.min(max, Math.max(0, Math.trunc(value)));
  return String(n).padStart(width, "0");
}

function writeDate(value: Date, name: string, opts: ResolvedOptions, style: "local" | "utc"): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new Sip2EncodeError(`${name}: not a valid Date`);
  try {
    return formatSipDate(value, { timeZone: opts.timeZone, style });
  } catch (e) {
    throw new Sip2EncodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function writeFixed(spec: FixedSpecAny, value: unknown, opts: ResolvedOptions, style: "local" | "utc"): string {
  const width = fixedWidth(spec);
  switch (spec.kind) {
    case "yn":
      return value ? "Y" : "N";
    case "ok":
      return value ? "1" : "0";
    case "ynu":
      return value === "Y" || value === "N" ? value : "U";
    case "date":
    case "syncDate":
      if (value === null || value === undefined) return spec.kind === "date" ? BLANK_SIP_DATE : ZERO_SIP_DATE;
      return writeDate(value as Date, spec.name, opts, style);
    case "count":
    case "number":
      if (typeof value !== "number" || Number.isNaN(value)) return spec.kind === "count" ? " ".repeat(width) : "0".repeat(width);
      return clampInt(value, width);
    case "code":
      return digitsOrPad(sanitizeValue(String(value ?? ""), opts.delimiter), width, spec.pad);
    case "patronStatus":
      return writeFlags(PatronStatusPosition, value as Record<string, boolean>, width, " ");
    case "summary":
      return writeFlags(SummaryPosition, value as Record<string, boolean>, width, " ");
  }
}

function writeTagged(spec: TagSpecAny, value: unknown, opts: ResolvedOptions, style: "local" | "utc"): string[] {
  switch (spec.kind) {
    case "text":
      return [truncate(sanitizeValue(String(value), opts.delimiter))];
    case "code": {
      const v = sanitizeValue(String(value), opts.delimiter);
      return [/^\d+$/.test(v) && v.length < spec.width ? v.padStart(spec.width, "0") : truncate(v)];
    }
    case "flag":
      return [value ? "Y" : "N"];
    case "date":
      return [writeDate(value as Date, `${spec.id} ${spec.name}`, opts, style)];
    case "count":
      return [clampInt(Number(value), 4)];
    case "supported":
      return [writeFlags(SupportedMessagePosition, value as Record<string, boolean>, 16, "N")];
    case "list": {
      const out: string[] = [];
      for (const item of value as readonly string[]) {
        const clean = sanitizeValue(String(item), opts.delimiter);
        if (spec.split) out.push(...splitLong(clean));
        else out.push(truncate(clean));
      }
      return out;
    }
  }
}

/** Encodes the message body (code, fixed and tagged fields) as text, without trailer. */
export function encodeBody(message: SipMessage, opts: ResolvedOptions, style: "local" | "utc" = "local"): string {
  const def = messageDef(message?.code);
  if (!def) throw new Sip2EncodeError(`unknown message code ${JSON.stringify(message?.code)}`);
  const m = message as unknown as Record<string, unknown>;
  const d = opts.delimiter;
  let out = def.code;
  for (const spec of def.fixed) out += writeFixed(spec, m[spec.name], opts, style);
  for (const spec of def.fields) {
    const value = m[spec.name];
    if (value === undefined || value === null) {
      if (spec.required) out += spec.id + (spec.kind === "supported" ? "N".repeat(16) : "") + d;
      continue;
    }
    for (const v of writeTagged(spec, value, opts, style)) out += spec.id + v + d;
  }
  for (const f of message.unknownFields ?? []) {
    out += sanitizeValue(String(f.id), d) + truncate(sanitizeValue(String(f.value), d)) + d;
  }
  return out;
}

/**
 * Encodes a message to the bytes to write on the socket (in `opts.charset`, with the
 * trailer and terminator). Throws {@link Sip2EncodeError} on programming errors only:
 * invalid options, an unknown code, a sequence outside 0–9 or an invalid Date.
 *
 * @example
 * const bytes = encodeMessage(
 *   { code: "94", ok: true },
 *   { timeZone: "Europe/Oslo", sequence: 0 },
 * ); // "941AY0AZFDFD\r"
 */
export function encodeMessage(message: SipMessage, opts: EncodeOptions): Uint8Array {
  const resolved = resolveOptions(opts);
  if (typeof resolved === "string") throw new Sip2EncodeError(resolved);
  const seq = opts.sequence;
  if (seq !== undefined && !(Number.isInteger(seq) && seq >= 0 && seq <= 9)) {
    throw new Sip2EncodeError(`sequence must be an integer 0–9, got ${seq}`);
  }
  const body = encodeText(encodeBody(message, resolved, opts.dateStyle ?? "local"), resolved.charset);
  const detect = opts.errorDetection ?? seq !== undefined;
  const noAy = message.code === "96" || message.code === "97";
  const trailer = !detect ? "" : noAy ? "AZ" : `AY${seq ?? 0}AZ`;
  const terminator = opts.terminator ?? "\r";
  const out = new Uint8Array(body.length + trailer.length + (detect ? 4 : 0) + terminator.length);
  out.set(body, 0);
  let pos = body.length;
  for (let i = 0; i < trailer.length; i++) out[pos++] = trailer.charCodeAt(i);
  if (detect) {
    const hex = computeChecksum(out, pos);
    for (let i = 0; i < 4; i++) out[pos++] = hex.charCodeAt(i);
  }
  for (let i = 0; i < terminator.length; i++) out[pos++] = terminator.charCodeAt(i);
  return out;
}
