import { type Selectable, sql } from "kysely";
import type { FeeDb, FeeInstitutionsTable, FeeTrx } from "./db.js";

export type InstitutionRow = Selectable<FeeInstitutionsTable>;

/** An institution's fee settings as stored by UpsertInstitutions. */
export interface InstitutionRecord {
  readonly institutionId: string;
  readonly name: string;
  /** IANA zone in which days late are counted. */
  readonly timeZone: string;
  /** Currency of new accounts and of amounts that name none. */
  readonly currency: string;
  readonly closedWeekdays: readonly number[];
  readonly closedDates: readonly string[];
}

export async function findInstitution(db: FeeDb | FeeTrx, institutionId: string): Promise<InstitutionRow | undefined> {
  return db.selectFrom("fee_institutions").selectAll().where("institution_id", "=", institutionId).executeTakeFirst();
}

/** Creates or replaces institutions; the same record again writes nothing and counts as neither. */
export async function upsertInstitutionRecords(db: FeeDb, institutions: readonly InstitutionRecord[]): Promise<{ created: number; updated: number }> {
  return db.transaction().execute(async (trx) => {
    let created = 0;
    let updated = 0;
    for (const i of institutions) {
      const row = {
        institution_id: i.institutionId,
        name: i.name,
        time_zone: i.timeZone,
        currency: i.currency,
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
