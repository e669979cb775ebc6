import type { fee, hold, loan } from "@circulate/contracts";
import type { PatronDb } from "../adapters/db.js";
import { institutionZones, policySettings } from "../adapters/reference-data.repository.js";
import { type PatronPolicy, type PatronUsage, patronPolicy, type RegisteredPatron, type StandingFacts } from "../domain/index.js";
import type { PatronOptions } from "./context.js";

/** The patron service's own facts about a patron (see `patronPolicy`). */
export type PolicyFacts = PatronPolicy;

/** What the loan, fee and (for 63) hold services' events say about a patron (see readUsage). */
export interface UsageFacts {
  readonly loans: loan.ListLoansResponse;
  readonly account: fee.Account;
  readonly holds?: hold.ListHoldsResponse;
}

/** The policy of a patron, from the institutions and patron types loaded (see `patronPolicy`). */
export async function loadPolicyFacts(db: PatronDb, options: PatronOptions, patron: RegisteredPatron): Promise<PolicyFacts> {
  const home = patron.record.homeInstitution;
  const card = patron.id.institution;
  const patronType = patron.record.patronType;
  const settings = await policySettings(db, [home, card], [patronType, "*"]);
  return patronPolicy({ home, card, patronType }, settings.institutions, settings.types, {
    timeZone: options.defaultTimeZone,
    currency: options.defaultCurrency,
    maxWrongPins: options.defaultMaxWrongPins,
  });
}

/** The zone of the first of `institutions` that is loaded, or the default. */
export async function timeZoneOf(db: PatronDb, options: PatronOptions, institutions: readonly string[]): Promise<string> {
  const zones = await institutionZones(db, institutions);
  for (const id of institutions) {
    const zone = zones.get(id);
    if (zone !== undefined) return zone;
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
