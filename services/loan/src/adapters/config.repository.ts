import { sql } from "kysely";
import type { LoanRule, RuleKey } from "../domain/index.js";
import type { LoanDb, LoanTrx } from "./db.js";

/** SQL of our configuration: `loan_rules`, `institutions` and their `calendars`. */

export interface RuleRow extends RuleKey {
  readonly rule: LoanRule;
  /** ISO 4217 code of the rule's fine amounts; '' = the institution's. */
  readonly currency: string;
}

export interface InstitutionRow {
  readonly name: string;
  readonly timeZone: string;
  readonly currency: string;
}

export interface CalendarRow {
  /** 0 = Sunday … 6 = Saturday, sorted. */
  readonly closedWeekdays: number[];
  /** Local dates YYYY-MM-DD, sorted. */
  readonly closedDates: string[];
}

/** Rules whose every dimension is the key's value or the wildcard `any`: the candidates for the key. */
export async function rulesMatching(db: LoanDb, key: RuleKey, any: string): Promise<RuleRow[]> {
  const rows = await db
    .selectFrom("loan_rules")
    .select(["institution_id", "patron_type", "item_type", "rule", "currency"])
    .where("institution_id", "in", [key.institutionId, any])
    .where("patron_type", "in", [key.patronType, any])
    .where("item_type", "in", [key.itemType, any])
    .execute();
  return rows.map((r) => ({ institutionId: r.institution_id, patronType: r.patron_type, itemType: r.item_type, rule: r.rule, currency: r.currency }));
}

/** The rule stored under exactly this key. */
export async function findRule(db: LoanDb | LoanTrx, key: RuleKey): Promise<Pick<RuleRow, "rule" | "currency"> | undefined> {
  return db
    .selectFrom("loan_rules")
    .select(["rule", "currency"])
    .where("institution_id", "=", key.institutionId)
    .where("patron_type", "=", key.patronType)
    .where("item_type", "=", key.itemType)
    .executeTakeFirst();
}

export async function saveRule(trx: LoanTrx, row: RuleRow): Promise<void> {
  const values = { rule: JSON.stringify(row.rule), currency: row.currency };
  await trx
    .insertInto("loan_rules")
    .values({ institution_id: row.institutionId, patron_type: row.patronType, item_type: row.itemType, ...values })
    .onConflict((oc) => oc.columns(["institution_id", "patron_type", "item_type"]).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

export async function findInstitution(db: LoanDb | LoanTrx, institutionId: string): Promise<InstitutionRow | undefined> {
  const row = await db.selectFrom("institutions").select(["name", "time_zone", "currency"]).where("institution_id", "=", institutionId).executeTakeFirst();
  return row && { name: row.name, timeZone: row.time_zone, currency: row.currency };
}

export async function saveInstitution(trx: LoanTrx, institutionId: string, institution: InstitutionRow): Promise<void> {
  const values = { name: institution.name, time_zone: institution.timeZone, currency: institution.currency };
  await trx
    .insertInto("institutions")
    .values({ institution_id: institutionId, ...values })
    .onConflict((oc) => oc.column("institution_id").doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

/** Sets an institution's time zone, creating it (unnamed) if it is new. */
export async function saveTimeZone(trx: LoanTrx, institutionId: string, timeZone: string): Promise<void> {
  await trx
    .insertInto("institutions")
    .values({ institution_id: institutionId, time_zone: timeZone })
    .onConflict((oc) => oc.column("institution_id").doUpdateSet({ time_zone: timeZone, updated_at: sql`now()` }))
    .execute();
}

/** The institution-wide calendar (location empty). */
export async function findCalendar(db: LoanDb | LoanTrx, institutionId: string): Promise<CalendarRow | undefined> {
  const row = await db
    .selectFrom("calendars")
    .select(["closed_weekdays", "closed_dates"])
    .where("institution_id", "=", institutionId)
    .where("location", "=", "")
    .executeTakeFirst();
  return row && { closedWeekdays: row.closed_weekdays, closedDates: row.closed_dates };
}

export async function saveCalendar(trx: LoanTrx, institutionId: string, calendar: CalendarRow): Promise<void> {
  const values = { closed_weekdays: JSON.stringify(calendar.closedWeekdays), closed_dates: JSON.stringify(calendar.closedDates) };
  await trx
    .insertInto("calendars")
    .values({ institution_id: institutionId, location: "", ...values })
    .onConflict((oc) => oc.columns(["institution_id", "location"]).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}
