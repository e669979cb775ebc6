import iconv from "iconv-lite";

/**
 * Character sets a terminal can be configured with. `ibm850` (IBM code page 850) is the
 * SIP2 default ("English 850"); anything else must be agreed with the SC. Checksums are
 * always computed over the bytes in the chosen charset.
 */
export const Charset = {
  ibm850: "ibm850",
  utf8: "utf8",
  latin1: "latin1",
} as const;
export type Charset = (typeof Charset)[keyof typeof Charset];

/** The charset assumed when none is configured (SIP2 spec: code page 850). */
export const DEFAULT_CHARSET: Charset = "ibm850";

const ALIASES: Record<string, Charset> = {
  ibm850: "ibm850",
  cp850: "ibm850",
  "850": "ibm850",
  "ibm-850": "ibm850",
  utf8: "utf8",
  "utf-8": "utf8",
  latin1: "latin1",
  "latin-1": "latin1",
  "iso-8859-1": "latin1",
  iso88591: "latin1",
};

/**
 * Maps a configured charset name (`IBM850`, `cp850`, `UTF-8`, `ISO-8859-1`, …) to a
 * {@link Charset}, or `undefined` if it is not supported.
 */
export function normalizeCharset(name: string): Charset | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function isAsciiText(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Encodes text to bytes in `charset`. Characters the charset cannot represent become `?`
 * (never throws).
 */
export function encodeText(text: string, charset: Charset): Uint8Array {
  if (isAsciiText(text)) return Buffer.from(text, "latin1");
  switch (charset) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "latin1":
      // Buffer's latin1 encoder keeps only the low byte of wider characters; map them to "?".
      return Buffer.from(text.replace(/[^\u0000-\u00ff]/gu, "?"), "latin1");
    case "ibm850":
      return iconv.encode(text, "cp850");
  }
}

/**
 * Decodes bytes in `charset` to text. Invalid UTF-8 sequences become U+FFFD (never throws).
 */
export function decodeText(bytes: Uint8Array, charset: Charset): string {
  const buf = asBuffer(bytes);
  if (isAscii(buf)) return buf.toString("latin1");
  switch (charset) {
    case "utf8":
      return buf.toString("utf8");
    case "latin1":
      return buf.toString("latin1");
    case "ibm850":
      return iconv.decode(buf, "cp850");
  }
}
