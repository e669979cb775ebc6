import type { EnvReader } from "@circulate/runtime";
import { isCurrencyCode } from "./domain/index.js";

/** Fee-specific configuration, besides the host's `ServiceConfig`. */
export interface FeeSettings {
  /**
   * Zone in which days late are counted for an institution that has none
   * (UpsertInstitutions). UTC unless configured: a guess, so set it, or load
   * every institution through the admin RPC.
   */
  readonly defaultTimeZone: string;
  /** Currency of fines and accounts for an institution that has none. */
  readonly defaultCurrency: string;
}

export const DEFAULT_FEE_SETTINGS: FeeSettings = { defaultTimeZone: "UTC", defaultCurrency: "USD" };

/** `FEE_DEFAULT_TIME_ZONE` (IANA, default UTC) and `FEE_DEFAULT_CURRENCY` (ISO 4217, default USD); fails fast. */
/** The fee service's own settings, read with the process's reader (its `done()` names every problem). */
export function feeSettings(e: EnvReader): FeeSettings {
  const defaultTimeZone = e.timeZone("FEE_DEFAULT_TIME_ZONE", DEFAULT_FEE_SETTINGS.defaultTimeZone);
  const defaultCurrency = e.string("FEE_DEFAULT_CURRENCY", DEFAULT_FEE_SETTINGS.defaultCurrency);
  if (!isCurrencyCode(defaultCurrency)) e.problem(`FEE_DEFAULT_CURRENCY: "${defaultCurrency}" is not an ISO 4217 code`);
  return { defaultTimeZone, defaultCurrency };
}
