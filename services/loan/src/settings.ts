import type { EnvReader } from "@circulate/runtime";

/** Loan-specific configuration, besides the host's `ServiceConfig`. */
export interface LoanSettings {
  /**
   * Zone in which due dates are counted for an institution nobody configured
   * (UpsertInstitutions). UTC unless set: a guess, so set it, or load every
   * institution through the admin RPC.
   */
  readonly defaultTimeZone: string;
}

export const DEFAULT_LOAN_SETTINGS: LoanSettings = { defaultTimeZone: "UTC" };

/**
 * The loan service's own settings, read with the process's reader (its `done()`
 * names every problem, the shared settings' included):
 * - `LOAN_DEFAULT_TIME_ZONE` (IANA, default UTC).
 */
export function loanSettings(e: EnvReader): LoanSettings {
  return { defaultTimeZone: e.timeZone("LOAN_DEFAULT_TIME_ZONE", DEFAULT_LOAN_SETTINGS.defaultTimeZone) };
}
