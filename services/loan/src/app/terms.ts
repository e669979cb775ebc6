import type { LoanDb } from "../adapters/db.js";
import { ANY, type InstitutionTime, type LoanRuleEntry, type ResolvedRule, type RuleKey, resolveRule, WEEKDAYS } from "../domain/index.js";

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
  const [institution, calendar] = await Promise.all([
    db.selectFrom("institutions").select(["time_zone", "currency"]).where("institution_id", "=", institutionId).executeTakeFirst(),
    db
      .selectFrom("calendars")
      .select(["closed_weekdays", "closed_dates"])
      .where("institution_id", "=", institutionId)
      .where("location", "=", "")
      .executeTakeFirst(),
  ]);
  const weekdays = (calendar?.closed_weekdays ?? []).map((n) => WEEKDAYS[n]).filter((d) => d !== undefined);
  return {
    time: {
      timeZone: institution?.time_zone || defaultTimeZone,
      calendar: { closedDates: calendar?.closed_dates ?? [], closedWeekdays: weekdays },
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
  const rows = await db
    .selectFrom("loan_rules")
    .select(["institution_id", "patron_type", "item_type", "rule", "currency"])
    .where("institution_id", "in", [key.institutionId, ANY])
    .where("patron_type", "in", [key.patronType, ANY])
    .where("item_type", "in", [key.itemType, ANY])
    .execute();
  const entries: LoanRuleEntry[] = rows.map((r) => ({ institutionId: r.institution_id, patronType: r.patron_type, itemType: r.item_type, rule: r.rule }));
  const rule = resolveRule(entries, key);
  const matched = rows.find(
    (r) => r.institution_id === rule.matched?.institutionId && r.patron_type === rule.matched.patronType && r.item_type === rule.matched.itemType,
  );
  return { rule, currency: matched?.currency ?? "" };
}
