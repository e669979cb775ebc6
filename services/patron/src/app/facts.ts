import type { fee, hold, loan } from "@circulate/contracts";
import type { PatronDb } from "../adapters/db.js";
import type { PatronTypePolicy, PatronUsage, PinPolicy, RegisteredPatron, StandingFacts } from "../domain/index.js";
import type { PatronOptions } from "./context.js";

/** The patron service's own facts about a patron: zone, currency, limits, PIN policy. */
export interface PolicyFacts {
  /** Home institution zone: expiry dates are read in it. */
  readonly timeZone: string;
  readonly currency: string;
  readonly pinPolicy: PinPolicy;
  readonly policy: PatronTypePolicy;
  /** Not a standing cause (the hold service enforces it); reported in 63 and VerifyPatron. */
  readonly maxHolds: number | null;
}

/** What the loan, fee and (for 63) hold services' events say about a patron (see readUsage). */
export interface UsageFacts {
  readonly loans: loan.ListLoansResponse;
  readonly account: fee.Account;
  readonly holds?: hold.ListHoldsResponse;
}

/**
 * Policy of a patron. Which institution's rules apply to a patron of a
 * consortium (README, decisions): the home institution's first, then the
 * institution the card is registered in; within one, the patron type's
 * policy, then the institution's default ("*"). No policy at all = no limits.
 * The PIN policy is the card institution's (whose barcodes are being guessed).
 */
export async function loadPolicyFacts(db: PatronDb, options: PatronOptions, patron: RegisteredPatron): Promise<PolicyFacts> {
  const home = patron.record.homeInstitution;
  const card = patron.id.institution;
  const type = patron.record.patronType;
  const [institutions, types] = await Promise.all([
    db.selectFrom("institutions").selectAll().where("institution_id", "in", [home, card]).execute(),
    db
      .selectFrom("patron_types")
      .selectAll()
      .where("institution_id", "in", [home, card])
      .where("patron_type", "in", [type, "*"])
      .execute(),
  ]);
  const homeRow = institutions.find((i) => i.institution_id === home);
  const cardRow = institutions.find((i) => i.institution_id === card);
  const currency = homeRow?.currency ?? cardRow?.currency ?? options.defaultCurrency;
  const pick = [
    [home, type],
    [home, "*"],
    [card, type],
    [card, "*"],
  ]
    .map(([i, t]) => types.find((r) => r.institution_id === i && r.patron_type === t))
    .find((r) => r !== undefined);
  const pinRow = cardRow ?? homeRow;
  const maxWrong = pinRow?.max_wrong_pins ?? options.defaultMaxWrongPins;
  return {
    timeZone: homeRow?.time_zone ?? cardRow?.time_zone ?? options.defaultTimeZone,
    currency,
    pinPolicy: { maxConsecutiveWrongPins: maxWrong === 0 ? null : maxWrong, lockMinutes: pinRow?.pin_lock_minutes ?? null },
    policy: {
      patronType: type,
      maxCharged: pick?.max_loans ?? null,
      maxOverdue: pick?.max_overdue ?? null,
      fineLimit: pick?.fee_limit_minor == null ? null : Number(pick.fee_limit_minor),
      currency: pick?.fee_limit_currency || currency,
    },
    maxHolds: pick?.max_holds ?? null,
  };
}

/** The zone of an institution, or the default when it is not loaded. */
export async function timeZoneOf(db: PatronDb, options: PatronOptions, institutions: readonly string[]): Promise<string> {
  const rows = await db.selectFrom("institutions").select(["institution_id", "time_zone"]).where("institution_id", "in", [...institutions]).execute();
  for (const id of institutions) {
    const row = rows.find((r) => r.institution_id === id);
    if (row) return row.time_zone;
  }
  return options.defaultTimeZone;
}

/** The counts standing needs. Unknown usage (no answer) counts as none. */
export function usageCounts(usage: UsageFacts | undefined): PatronUsage {
  if (!usage) return { charged: 0, overdue: 0, fineBalance: 0 };
  return {
    charged: usage.loans.loans.length,
    overdue: usage.loans.overdueCount,
    fineBalance: usage.account.balance?.amountMinor ?? 0,
  };
}

export function standingFacts(policy: PolicyFacts, usage: UsageFacts | undefined): StandingFacts {
  return { policy: policy.policy, usage: usageCounts(usage), timeZone: policy.timeZone };
}
