/**
 * SIP2 error detection (sip2-reference.md §2): `AY<digit>` sequence number and
 * `AZ<4 hex>` checksum at the very end of a message, located by position from the end.
 * The checksum is the 16-bit two's complement of the sum of the message BYTES from the
 * message code up to and including the letters `AZ`.
 */

/** Whether a parsed message's checksum verified, failed, or was not sent at all. */
export type ChecksumStatus = "valid" | "invalid" | "absent";

const A = 0x41;
const Y = 0x59;
const Z = 0x5a;

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  return -1;
}

/** 16-bit byte sum of `bytes[0..end)`. */
function byteSum(bytes: Uint8Array, end: number): number {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += bytes[i]!;
  return sum & 0xffff;
}

/**
 * Computes the checksum of `bytes[0..end)` (which must end with the letters `AZ`) as four
 * upper-case hex digits (`%04X`).
 */
export function computeChecksum(bytes: Uint8Array, end: number = bytes.length): string {
  return (-byteSum(bytes, end) & 0xffff).toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Verifies a message that ends in `AZhhhh` (no terminator). Accepts lower-case hex.
 * Returns false when the message does not end in a well-formed `AZ` field.
 */
export function verifyChecksum(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < 6 || bytes[n - 6] !== A || bytes[n - 5] !== Z) return false;
  let value = 0;
  for (let i = n - 4; i < n; i++) {
    const h = hexValue(bytes[i]);
    if (h < 0) return false;
    value = value * 16 + h;
  }
  return ((byteSum(bytes, n - 4) + value) & 0xffff) === 0;
}

/** What the end of a message says about error detection. */
export interface TrailerInfo {
  /** Index where the message body (code, fixed and tagged fields) ends, exclusive. */
  bodyEnd: number;
  /** The AY digit, or null when there is none (or it is not a single digit). */
  sequence: number | null;
  /** Checksum status of the message. */
  checksum: ChecksumStatus;
  /** The checksum value as sent, when there is one. */
  checksumValue?: number;
  /** What the end looked like: `AY?AZhhhh`, `AZhhhh` alone, a truncated `AY<d>AZ`, or no trailer. */
  form: "ay-az" | "az" | "dangling" | "none";
  /** Anomalies found: `bad_sequence` (AY not one digit), `dangling_checksum` (AZ without hex digits). */
  anomalies: Array<"bad_sequence" | "dangling_checksum">;
}

/**
 * Locates `AY<d>AZ<hhhh>` (or `AZ<hhhh>` alone, as in 96/97) by position from the end of
 * `bytes[0..n)` and verifies the checksum. Never scans the message for `AY`.
 *
 * - `…AY<d>AZ<hhhh>`: sequence d; checksum valid/invalid (non-hex digits → invalid).
 * - `…AY<x>AZ<hhhh>` with x not a digit: no sequence (anomaly), checksum still verified.
 * - `…AZ<hhhh>` with 4 hex digits: checksum only.
 * - `…AY<d>AZ` (truncated, no hex): sequence d, checksum invalid (anomaly).
 * - anything else: checksum absent.
 */
export function splitTrailer(bytes: Uint8Array, n: number = bytes.length): TrailerInfo {
  const anomalies: TrailerInfo["anomalies"] = [];
  if (n >= 8 && bytes[n - 6] === A && bytes[n - 5] === Z) {
    const hasAy = n >= 11 && bytes[n - 9] === A && bytes[n - 8] === Y;
    let value = 0;
    let hexOk = true;
    for (let i = n - 4; i < n; i++) {
      const h = hexValue(bytes[i]);
      if (h < 0) hexOk = false;
      value = value * 16 + Math.max(h, 0);
    }
    if (hasAy || hexOk) {
      let sequence: number | null = null;
      if (hasAy) {
        if (isDigit(bytes[n - 7])) sequence = bytes[n - 7]! - 0x30;
        else anomalies.push("bad_sequence");
      }
      const valid = hexOk && ((byteSum(bytes, n - 4) + value) & 0xffff) === 0;
      return {
        bodyEnd: hasAy ? n - 9 : n - 6,
        form: hasAy ? "ay-az" : "az",
        sequence,
        checksum: valid ? "valid" : "invalid",
        ...(hexOk ? { checksumValue: value } : {}),
        anomalies,
      };
    }
  }
  if (n >= 7 && bytes[n - 5] === A && bytes[n - 4] === Y && isDigit(bytes[n - 3]) && bytes[n - 2] === A) {
    if (bytes[n - 1] === Z) {
      anomalies.push("dangling_checksum");
      return { bodyEnd: n - 5, form: "dangling", sequence: bytes[n - 3]! - 0x30, checksum: "invalid", anomalies };
    }
  }
  return { bodyEnd: n, form: "none", sequence: null, checksum: "absent", anomalies };
}

/**
 * Appends the error-detection trailer to an encoded message body: `AY<sequence>AZ<hhhh>`,
 * or `AZ<hhhh>` alone when `sequence` is null (96/97).
 */
export function appendTrailer(body: Uint8Array, sequence: number | null): Uint8Array {
  const prefix = sequence === null ? "AZ" : `AY${sequence}AZ`;
  const out = new Uint8Array(body.length + prefix.length + 4);
  out.set(body, 0);
  for (let i = 0; i < prefix.length; i++) out[body.length + i] = prefix.charCodeAt(i);
  const end = body.length + prefix.length;
  const hex = computeChecksum(out, end);
  for (let i = 0; i < 4; i++) out[end + i] = hex.charCodeAt(i);
  return out;
}

/**
 * Compatibility check for clients that sum Unicode code points instead of bytes
 * (sip2-reference.md §2.5): true when the code-point sum of `text` (the decoded message up
 * to and including `AZ`) plus `value` is 0 modulo 65536.
 */
export function verifyCodePointChecksum(text: string, value: number): boolean {
  let sum = 0;
  for (const ch of text) sum = (sum + ch.codePointAt(0)!) & 0xffff;
  return ((sum + value) & 0xffff) === 0;
}
