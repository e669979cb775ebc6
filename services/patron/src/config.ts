import { readEnv } from "@circulate/runtime";
import { DEFAULT_PATRON_OPTIONS, type PatronOptions } from "./app/context.js";

/** Patron-specific settings on top of `serviceConfigFromEnv("patron")`. */
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

/** Reads the PATRON_* variables; throws ConfigError naming every problem. */
export function patronOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PatronServiceOptions {
  const e = readEnv(env);
  const d = DEFAULT_PATRON_SERVICE_OPTIONS;
  const maxWrong = e.int("PATRON_MAX_WRONG_PINS", d.defaultMaxWrongPins ?? 0, { min: 0, max: 1000 });
  const options: PatronServiceOptions = {
    defaultMaxWrongPins: maxWrong === 0 ? null : maxWrong,
    defaultTimeZone: e.string("PATRON_DEFAULT_TIME_ZONE", d.defaultTimeZone),
    defaultCurrency: e.string("PATRON_DEFAULT_CURRENCY", d.defaultCurrency),
    maxListEntries: e.int("PATRON_LIST_MAX_ENTRIES", d.maxListEntries, { min: 1, max: 10_000 }),
    projectionWaitMs: e.int("PATRON_PROJECTION_WAIT_MS", d.projectionWaitMs, { min: 1, max: 60_000 }),
    scryptN: e.int("PATRON_PIN_SCRYPT_N", d.scryptN, { min: 2, max: 2 ** 20 }),
    pinCacheTtlMs: e.int("PATRON_PIN_CACHE_TTL_MS", d.pinCacheTtlMs, { min: 0, max: 24 * 3_600_000 }),
    now: d.now,
  };
  e.done();
  return options;
}
