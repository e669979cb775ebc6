import { ConfigError, readEnv } from "@circulate/runtime";
import { isCurrencyCode, isTimeZone } from "./domain/index.js";

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
export function feeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): FeeSettings {
  const e = readEnv(env);
  const defaultTimeZone = e.string("FEE_DEFAULT_TIME_ZONE", DEFAULT_FEE_SETTINGS.defaultTimeZone);
  const defaultCurrency = e.string("FEE_DEFAULT_CURRENCY", DEFAULT_FEE_SETTINGS.defaultCurrency);
  e.done();
  const problems: string[] = [];
  if (!isTimeZone(defaultTimeZone)) problems.push(`FEE_DEFAULT_TIME_ZONE: "${defaultTimeZone}" is not an IANA time zone`);
  if (!isCurrencyCode(defaultCurrency)) problems.push(`FEE_DEFAULT_CURRENCY: "${defaultCurrency}" is not an ISO 4217 code`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { defaultTimeZone, defaultCurrency };
}
