import { type Charset, DEFAULT_CHARSET, normalizeCharset } from "./charset.js";
import { isValidTimeZone } from "./dates.js";

/** Options shared by parsing, encoding and describing. */
export interface CodecOptions {
  /**
   * IANA time zone of the library (e.g. `America/New_York`). SIP2 dates are normally sent
   * in local time with four blank zone characters; this zone is how they are read and
   * written. Required: the codec never assumes UTC or the host's zone.
   */
  timeZone: string;
  /** Character set on the wire; default `ibm850` (the SIP2 default, code page 850). */
  charset?: Charset;
  /** Field delimiter; default `|`. One ASCII character, not a letter, digit, space, CR or LF. */
  delimiter?: string;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedOptions {
  timeZone: string;
  charset: Charset;
  delimiter: string;
  delimiterByte: number;
}

const cache = new Map<string, ResolvedOptions | string>();
const MAX_CACHED = 256;

/**
 * Validates options, memoised by value (options objects may be mutated between calls, so
 * they are not used as keys). Returns the resolved options or a reason.
 */
export function resolveOptions(opts: CodecOptions): ResolvedOptions | string {
  if (typeof opts !== "object" || opts === null) return "options must be an object with a timeZone";
  const key = `${opts.timeZone}\u0000${opts.charset}\u0000${opts.delimiter}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = validate(opts);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, result);
  return result;
}

function validate(opts: CodecOptions): ResolvedOptions | string {
  if (typeof opts?.timeZone !== "string" || !isValidTimeZone(opts.timeZone)) {
    return `timeZone must be an IANA zone name, got ${JSON.stringify(opts?.timeZone)}`;
  }
  const charset = normalizeCharset(String(opts.charset ?? DEFAULT_CHARSET));
  if (!charset) return `unsupported charset ${JSON.stringify(opts.charset)} (use ibm850, utf8 or latin1)`;
  const delimiter = opts.delimiter ?? "|";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || !/^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(delimiter)) {
    return `delimiter must be one ASCII punctuation character, got ${JSON.stringify(delimiter)}`;
  }
  return { timeZone: opts.timeZone, charset, delimiter, delimiterByte: delimiter.charCodeAt(0) };
}

/**
 * Checks codec options once, e.g. when a terminal's configuration is loaded: returns what
 * is wrong (unknown time zone or charset, unusable delimiter) or null when they are usable.
 */
export function checkCodecOptions(opts: CodecOptions): string | null {
  const r = resolveOptions(opts);
  return typeof r === "string" ? r : null;
}
