import { findCalendar, findInstitution, rulesMatching } from "../adapters/config.repository.js";
import type { LoanDb } from "../adapters/db.js";
import { ANY, type InstitutionTime, type ResolvedRule, type RuleKey, resolveRule, WEEKDAYS } from "../domain/index.js";

/**
 * Our own configuration as the deciders need it: the lending institution's
 * zone and calendar, and the loan rule for (institution, patron type, item
 * type). Read before the transaction: it is configuration, and a checkout
 * racing an admin change may use either version.
 */

export interface InstitutionTerms {
  readonly time: InstitutionTime;
  /** ISO 4217 code for fines of rules that state none; '' = unknown. */
  readonly currency: string;
}

/**
 * An institution nobody configured lends in the service's default zone
 * (LOAN_DEFAULT_TIME_ZONE), always open: a due date is still computed, and
 * the admin API is where to fix it.
 */
export async function institutionTerms(db: LoanDb, institutionId: string, defaultTimeZone: string): Promise<InstitutionTerms> {
  const [institution, calendar] = await Promise.all([findInstitution(db, institutionId), findCalendar(db, institutionId)]);
  const weekdays = (calendar?.closedWeekdays ?? []).map((n) => WEEKDAYS[n]).filter((d) => d !== undefined);
  return {
    time: {
      timeZone: institution?.timeZone || defaultTimeZone,
      calendar: { closedDates: calendar?.closedDates ?? [], closedWeekdays: weekdays },
    },
    currency: institution?.currency ?? "",
  };
}

export interface RuleTerms {
  readonly rule: ResolvedRule;
  /** Currency of the rule's fine amounts; '' = the institution's. */
  readonly currency: string;
}

/** The most specific rule for `key` (see loan-rules.ts); at most 8 rows can match. */
export async function ruleFor(db: LoanDb, key: RuleKey): Promise<RuleTerms> {
  const rows = await rulesMatching(db, key, ANY);
  const rule = resolveRule(rows, key);
  const matched = rows.find(
    (r) => r.institutionId === rule.matched?.institutionId && r.patronType === rule.matched.patronType && r.itemType === rule.matched.itemType,
  );
  return { rule, currency: matched?.currency ?? "" };
}
