import type { loan } from "@circulate/contracts";
import { isLocalDate, isTimeZone } from "@circulate/domain";
import { InvalidArgumentError } from "@circulate/service";
import { sql } from "kysely";
import type { LoanDb } from "../adapters/db.js";
import { findRuleProblems, type LoanPeriod, type LoanRuleEntry, UNLIMITED } from "../domain/index.js";

/**
 * The admin API's configuration writes (UpsertLoanRules, UpsertInstitutions,
 * UpsertCalendar). Each validates the whole request first (nothing is written
 * if anything is wrong) and is idempotent: keyed upserts, so a re-run
 * updates and never duplicates, and reports what it changed.
 */

const MINUTES_PER_DAY = 1440;

function period(minutes: number, where: string, problems: string[]): LoanPeriod {
  if (minutes % MINUTES_PER_DAY === 0) return { unit: "days", length: minutes / MINUTES_PER_DAY };
  if (minutes % 60 === 0) return { unit: "hours", length: minutes / 60 };
  problems.push(`${where}: loan_period_minutes must be whole days (a multiple of 1440) or whole hours (a multiple of 60), got ${minutes}`);
  return { unit: "days", length: 0 };
}

interface RuleRow extends LoanRuleEntry {
  readonly currency: string;
}

function toRule(r: loan.LoanRule, where: string, problems: string[]): RuleRow {
  for (const [name, value] of [["institution_id", r.institutionId], ["patron_type", r.patronType], ["item_type", r.itemType]] as const) {
    if (!value.trim()) problems.push(`${where}: ${name} is required ("*" = any)`);
  }
  const periodOf = r.loanable ? period(r.loanPeriodMinutes, where, problems) : { unit: "days" as const, length: 0 };
  if (r.renewalPeriodMinutes !== 0 && r.renewalPeriodMinutes !== r.loanPeriodMinutes) {
    problems.push(`${where}: renewal_period_minutes other than the loan period is not supported (renewals use the loan period)`);
  }
  if ((r.checkoutFee?.amountMinor ?? 0) !== 0) problems.push(`${where}: checkout_fee (rental) is not supported`);
  const perDayCurrency = r.finePerDay?.currency ?? "";
  const maxCurrency = r.maxFine?.currency ?? "";
  if (perDayCurrency && maxCurrency && perDayCurrency !== maxCurrency) {
    problems.push(`${where}: fine_per_day is in ${perDayCurrency} but max_fine in ${maxCurrency}`);
  }
  for (const c of [perDayCurrency, maxCurrency]) if (c && !/^[A-Z]{3}$/.test(c)) problems.push(`${where}: currency "${c}" is not an ISO 4217 code`);
  return {
    institutionId: r.institutionId.trim(),
    patronType: r.patronType.trim(),
    itemType: r.itemType.trim(),
    currency: perDayCurrency || maxCurrency,
    rule: {
      circulates: r.loanable,
      period: periodOf,
      renewalLimit: r.maxRenewals ?? UNLIMITED,
      maxItems: r.maxItems ?? UNLIMITED,
      fine: { perDay: r.finePerDay?.amountMinor ?? 0, max: r.maxFine?.amountMinor ?? 0, graceDays: r.graceDays },
    },
  };
}

/** Creates or replaces rules by (institution, patron type, item type), in one transaction. */
export async function upsertLoanRules(db: LoanDb, request: loan.UpsertLoanRulesRequest): Promise<loan.UpsertLoanRulesResponse> {
  const problems: string[] = [];
  const rows = request.rules.map((r, i) => toRule(r, `rules[${i}]`, problems));
  problems.push(...findRuleProblems(rows));
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  let created = 0;
  let unchanged = 0;
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const key = { institution_id: row.institutionId, patron_type: row.patronType, item_type: row.itemType };
      const before = await trx
        .selectFrom("loan_rules")
        .select(["rule", "currency"])
        .where("institution_id", "=", key.institution_id)
        .where("patron_type", "=", key.patron_type)
        .where("item_type", "=", key.item_type)
        .executeTakeFirst();
      if (!before) created++;
      else if (before.currency === row.currency && JSON.stringify(canonical(before.rule)) === JSON.stringify(canonical(row.rule))) {
        unchanged++;
        continue;
      }
      const values = { rule: JSON.stringify(row.rule), currency: row.currency };
      await trx
        .insertInto("loan_rules")
        .values({ ...key, ...values })
        .onConflict((oc) => oc.columns(["institution_id", "patron_type", "item_type"]).doUpdateSet({ ...values, updated_at: sql`now()` }))
        .execute();
    }
  });
  return { upserted: rows.length, created, unchanged };
}

/** jsonb does not keep key order: compare rules with sorted keys. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** Creates or replaces institutions (name, time zone, currency) by id. */
export async function upsertInstitutions(db: LoanDb, request: loan.UpsertInstitutionsRequest): Promise<loan.UpsertInstitutionsResponse> {
  const problems: string[] = [];
  request.institutions.forEach((inst, i) => {
    if (!inst.institutionId.trim()) problems.push(`institutions[${i}]: institution_id is required`);
    if (!inst.timeZone || !isTimeZone(inst.timeZone)) problems.push(`institutions[${i}]: time_zone "${inst.timeZone}" is not an IANA time zone`);
    if (inst.currency && !/^[A-Z]{3}$/.test(inst.currency)) problems.push(`institutions[${i}]: currency "${inst.currency}" is not an ISO 4217 code`);
  });
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await db.transaction().execute(async (trx) => {
    for (const inst of request.institutions) {
      const id = inst.institutionId.trim();
      const values = { name: inst.name, time_zone: inst.timeZone, currency: inst.currency };
      const before = await trx.selectFrom("institutions").select(["name", "time_zone", "currency"]).where("institution_id", "=", id).executeTakeFirst();
      if (before && before.name === values.name && before.time_zone === values.time_zone && before.currency === values.currency) {
        counts.unchanged++;
        continue;
      }
      counts[before ? "updated" : "created"]++;
      await trx
        .insertInto("institutions")
        .values({ institution_id: id, ...values })
        .onConflict((oc) => oc.column("institution_id").doUpdateSet({ ...values, updated_at: sql`now()` }))
        .execute();
    }
  });
  return counts;
}

/**
 * Replaces an institution's calendar: closed weekdays and dates, and (when
 * given) its time zone. Only institution-wide calendars (location empty) and
 * due dates at 23:59:59 local are supported; other values are refused rather
 * than silently ignored.
 */
export async function upsertCalendar(db: LoanDb, request: loan.UpsertCalendarRequest): Promise<loan.UpsertCalendarResponse> {
  const c = request.calendar;
  const problems: string[] = [];
  if (!c) throw new InvalidArgumentError(["calendar is required"]);
  const id = c.institutionId.trim();
  if (!id) problems.push("calendar.institution_id is required");
  if (c.location) problems.push("calendar.location: per-location calendars are not supported; due dates use the institution-wide calendar (location empty)");
  if (c.timeZone && !isTimeZone(c.timeZone)) problems.push(`calendar.time_zone "${c.timeZone}" is not an IANA time zone`);
  if (c.closingTime && !["23:59", "23:59:59"].includes(c.closingTime)) problems.push("calendar.closing_time: day loans fall due at 23:59:59 local; other closing times are not supported");
  const weekdays = [...new Set(c.closedWeekdays)].sort();
  if (weekdays.some((d) => d > 6)) problems.push("calendar.closed_weekdays: 0 = Sunday … 6 = Saturday");
  if (weekdays.length >= 7) problems.push("calendar.closed_weekdays: an institution closed every day has no due dates");
  const dates = [...new Set(c.closedDates)].sort();
  for (const d of dates) if (!isLocalDate(d)) problems.push(`calendar.closed_dates: "${d}" is not a date YYYY-MM-DD`);
  if (problems.length > 0) throw new InvalidArgumentError(problems);

  return db.transaction().execute(async (trx) => {
    const zone = c.timeZone ? await trx.selectFrom("institutions").select("time_zone").where("institution_id", "=", id).executeTakeFirst() : undefined;
    const before = await trx
      .selectFrom("calendars")
      .select(["closed_weekdays", "closed_dates"])
      .where("institution_id", "=", id)
      .where("location", "=", "")
      .executeTakeFirst();
    const sameDays = before !== undefined && sameList(before.closed_weekdays, weekdays) && sameList(before.closed_dates, dates);
    // A re-run of the same import must be told apart from a change, and must not touch updated_at.
    if (sameDays && (!c.timeZone || zone?.time_zone === c.timeZone)) return { replaced: false, unchanged: true };
    if (c.timeZone) {
      await trx
        .insertInto("institutions")
        .values({ institution_id: id, time_zone: c.timeZone })
        .onConflict((oc) => oc.column("institution_id").doUpdateSet({ time_zone: c.timeZone, updated_at: sql`now()` }))
        .execute();
    }
    const values = { closed_weekdays: JSON.stringify(weekdays), closed_dates: JSON.stringify(dates) };
    await trx
      .insertInto("calendars")
      .values({ institution_id: id, location: "", ...values })
      .onConflict((oc) => oc.columns(["institution_id", "location"]).doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
    return { replaced: before !== undefined, unchanged: false };
  });
}

/** Stored jsonb lists (already sorted and de-duplicated when written) against the request's. */
function sameList(stored: unknown, given: readonly (string | number)[]): boolean {
  return Array.isArray(stored) && stored.length === given.length && stored.every((v, i) => v === given[i]);
}
