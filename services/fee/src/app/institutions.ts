import { sql } from "kysely";
import type { FeeDb, FeeTrx } from "../adapters/db.js";
import { calendarProblem, isCurrencyCode, isTimeZone } from "../domain/index.js";

/** What the fee service must know about an institution to assess and take fees. */
export interface InstitutionSettings {
  readonly institutionId: string;
  readonly name: string;
  /** IANA zone in which days late are counted. */
  readonly timeZone: string;
  /** Currency of new accounts and of amounts that name none. */
  readonly currency: string;
  readonly closedWeekdays: readonly number[];
  readonly closedDates: readonly string[];
  /** False when nothing was upserted for it and the service-wide defaults apply. */
  readonly configured: boolean;
}

/** Service-wide fallbacks (FEE_DEFAULT_TIME_ZONE, FEE_DEFAULT_CURRENCY). */
export interface InstitutionDefaults {
  readonly timeZone: string;
  readonly currency: string;
}

export async function institutionSettings(db: FeeDb | FeeTrx, institutionId: string, defaults: InstitutionDefaults): Promise<InstitutionSettings> {
  const row = await db.selectFrom("fee_institutions").selectAll().where("institution_id", "=", institutionId).executeTakeFirst();
  if (!row) return { institutionId, name: "", timeZone: defaults.timeZone, currency: defaults.currency, closedWeekdays: [], closedDates: [], configured: false };
  return {
    institutionId,
    name: row.name,
    timeZone: row.time_zone,
    currency: row.currency,
    closedWeekdays: row.closed_weekdays,
    closedDates: row.closed_dates,
    configured: true,
  };
}

export interface InstitutionInput {
  readonly institutionId: string;
  readonly name: string;
  /** "" = the service default. */
  readonly timeZone: string;
  /** "" = the service default. */
  readonly currency: string;
  readonly closedWeekdays: readonly number[];
  readonly closedDates: readonly string[];
}

/** Why an institution record cannot be stored, or `null`. */
export function institutionProblem(i: InstitutionInput): string | null {
  if (!i.institutionId.trim()) return "institution_id is required";
  if (i.timeZone && !isTimeZone(i.timeZone)) return `time_zone ${JSON.stringify(i.timeZone)} is not an IANA time zone`;
  if (i.currency && !isCurrencyCode(i.currency)) return `currency ${JSON.stringify(i.currency)} is not an ISO 4217 code`;
  return calendarProblem(i);
}

/** Creates or replaces institutions; the same input again writes nothing and counts as neither. */
export async function upsertInstitutions(
  db: FeeDb,
  institutions: readonly InstitutionInput[],
  defaults: InstitutionDefaults,
): Promise<{ created: number; updated: number }> {
  return db.transaction().execute(async (trx) => {
    let created = 0;
    let updated = 0;
    for (const i of institutions) {
      const row = {
        institution_id: i.institutionId,
        name: i.name,
        time_zone: i.timeZone || defaults.timeZone,
        currency: i.currency || defaults.currency,
        closed_weekdays: JSON.stringify([...new Set(i.closedWeekdays)].sort()),
        closed_dates: JSON.stringify([...new Set(i.closedDates)].sort()),
      };
      // xmax = 0 only on a row this statement inserted: tells created from replaced in one round trip;
      // no row back = the stored one was already the same.
      const result = await trx
        .insertInto("fee_institutions")
        .values(row)
        .onConflict((oc) =>
          oc.column("institution_id").doUpdateSet({
            name: row.name,
            time_zone: row.time_zone,
            currency: row.currency,
            closed_weekdays: row.closed_weekdays,
            closed_dates: row.closed_dates,
            updated_at: sql<Date>`now()`,
          }).where(
            // Only a real change is written (and counted): a re-run of the same import reports it unchanged.
            sql<boolean>`(fee_institutions.name, fee_institutions.time_zone, fee_institutions.currency, fee_institutions.closed_weekdays, fee_institutions.closed_dates)
              IS DISTINCT FROM (excluded.name, excluded.time_zone, excluded.currency, excluded.closed_weekdays, excluded.closed_dates)`,
          ),
        )
        .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
        .executeTakeFirst();
      if (result?.inserted) created++;
      else if (result) updated++;
    }
    return { created, updated };
  });
}
