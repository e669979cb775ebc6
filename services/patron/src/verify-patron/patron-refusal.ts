import { type Privilege, reasonsDenying, type StandingReason } from "../domain/index.js";
import type { PatronVerification } from "./verify-patron.decider.js";

/**
 * The patron-side refusal reasons, spelled as in docs/services.md (the
 * `CheckOutRefusalReason` family) so the loan, hold and fee services can pass
 * them through unchanged.
 */
export type PatronRefusalReason =
  | "patron_not_found"
  | "pin_invalid"
  | "pin_locked"
  | "patron_blocked"
  | "card_lost"
  | "patron_expired"
  | "loan_limit"
  | "overdue_limit"
  | "fines_over_limit";

const BY_STANDING: Record<StandingReason, PatronRefusalReason> = {
  blocked: "patron_blocked",
  card_lost: "card_lost",
  expired: "patron_expired",
  too_many_charged: "loan_limit",
  too_many_overdue: "overdue_limit",
  fines_over_limit: "fines_over_limit",
};

export interface PatronRefusalOptions {
  /** The terminal requires a PIN: no PIN given is then `pin_invalid`. */
  readonly pinRequired?: boolean;
}

/**
 * Why a verified patron may not use `privilege`, or `undefined` when they may.
 * Precedence: unknown patron, PIN (locked before wrong), then the standing
 * causes that deny this privilege in STANDING_REASONS order, so a blocked
 * patron with too many loans hears "blocked", the cause staff must lift first.
 * Causes that do not deny the privilege are ignored: too many items charged
 * stops a checkout but not a renewal.
 */
export function patronRefusal(
  verification: PatronVerification,
  privilege: Privilege,
  options: PatronRefusalOptions = {},
): PatronRefusalReason | undefined {
  if (!verification.found) return "patron_not_found";
  if (verification.pin === "locked") return "pin_locked";
  if (verification.pin === "wrong") return "pin_invalid";
  if (verification.pin === "not_checked" && options.pinRequired) return "pin_invalid";
  const first = reasonsDenying(verification.standing, privilege)[0];
  return first === undefined ? undefined : BY_STANDING[first];
}
