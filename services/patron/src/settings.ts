import type { EnvReader } from "@circulate/runtime";
import { DEFAULT_PATRON_OPTIONS, type PatronOptions } from "./app/context.js";
import { validCurrency } from "./reference-data/reference-data.validation.js";

/** Patron-specific settings, besides the host's `ServiceConfig`. */
export interface PatronServiceOptions extends PatronOptions {
  /** scrypt cost for new PIN hashes (a power of two). Old hashes keep their own. */
  readonly scryptN: number;
  /** How long a successful PIN verification is remembered; 0 = no cache. */
  readonly pinCacheTtlMs: number;
}

export const DEFAULT_PATRON_SERVICE_OPTIONS: PatronServiceOptions = {
  ...DEFAULT_PATRON_OPTIONS,
  scryptN: 2 ** 14,
  pinCacheTtlMs: 5 * 60_000,
};

/**
 * The patron service's own settings (`PATRON_*`), read with the process's
 * reader, so a bad one is named with the shared ones by its `done()` rather
 * than found when the first patron is looked up or the PIN hasher is built.
 */
export function patronSettings(e: EnvReader): PatronServiceOptions {
  const d = DEFAULT_PATRON_SERVICE_OPTIONS;
  const maxWrong = e.int("PATRON_MAX_WRONG_PINS", d.defaultMaxWrongPins ?? 0, { min: 0, max: 1000 });
  const defaultTimeZone = e.timeZone("PATRON_DEFAULT_TIME_ZONE", d.defaultTimeZone);
  const defaultCurrency = e.string("PATRON_DEFAULT_CURRENCY", d.defaultCurrency);
  if (!validCurrency(defaultCurrency)) e.problem(`PATRON_DEFAULT_CURRENCY: "${defaultCurrency}" is not an ISO 4217 code`);
  const maxListEntries = e.int("PATRON_LIST_MAX_ENTRIES", d.maxListEntries, { min: 1, max: 10_000 });
  const projectionWaitMs = e.int("PATRON_PROJECTION_WAIT_MS", d.projectionWaitMs, { min: 1, max: 60_000 });
  const scryptN = e.int("PATRON_PIN_SCRYPT_N", d.scryptN, { min: 2, max: 2 ** 20 });
  // A value out of range is reported already (and read as 0).
  if (scryptN >= 2 && (scryptN & (scryptN - 1)) !== 0) e.problem(`PATRON_PIN_SCRYPT_N: ${scryptN} is not a power of two`);
  const pinCacheTtlMs = e.int("PATRON_PIN_CACHE_TTL_MS", d.pinCacheTtlMs, { min: 0, max: 24 * 3_600_000 });
  return {
    defaultMaxWrongPins: maxWrong === 0 ? null : maxWrong,
    defaultTimeZone,
    defaultCurrency,
    maxListEntries,
    projectionWaitMs,
    scryptN,
    pinCacheTtlMs,
    now: d.now,
  };
}
