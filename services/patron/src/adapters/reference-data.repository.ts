import type { InstitutionSettings, PatronTypeLimits } from "../domain/index.js";
import type { InstitutionsTable, PatronDb, PatronTypesTable } from "./db.js";

/** The institutions and patron types tables: reference data, plain rows (not event-sourced). */

export type InstitutionRow = Omit<InstitutionsTable, "updated_at">;
export type PatronTypeRow = Omit<PatronTypesTable, "updated_at" | "fee_limit_minor"> & { fee_limit_minor: number | null };

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The zones of the loaded institutions among `ids`. */
export async function institutionZones(db: PatronDb, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("institutions").select(["institution_id", "time_zone"]).where("institution_id", "in", [...ids]).execute();
  return new Map(rows.map((r) => [r.institution_id, r.time_zone]));
}

/** The settings of `institutions` and the limits of `patronTypes` at them, as the policy rule reads them. */
export async function policySettings(
  db: PatronDb,
  institutions: readonly string[],
  patronTypes: readonly string[],
): Promise<{ institutions: InstitutionSettings[]; types: PatronTypeLimits[] }> {
  const [institutionRows, typeRows] = await Promise.all([
    db.selectFrom("institutions").selectAll().where("institution_id", "in", [...institutions]).execute(),
    db
      .selectFrom("patron_types")
      .selectAll()
      .where("institution_id", "in", [...institutions])
      .where("patron_type", "in", [...patronTypes])
      .execute(),
  ]);
  return {
    institutions: institutionRows.map((r) => ({
      institutionId: r.institution_id,
      timeZone: r.time_zone,
      currency: r.currency,
      maxWrongPins: r.max_wrong_pins,
      pinLockMinutes: r.pin_lock_minutes,
    })),
    types: typeRows.map((r) => ({
      institutionId: r.institution_id,
      patronType: r.patron_type,
      maxLoans: r.max_loans,
      maxOverdue: r.max_overdue,
      maxHolds: r.max_holds,
      feeLimitMinor: r.fee_limit_minor == null ? null : Number(r.fee_limit_minor),
      feeLimitCurrency: r.fee_limit_currency,
      description: r.description,
    })),
  };
}

/** Upserts institutions in one transaction; an unchanged row is not rewritten. */
export async function saveInstitutions(db: PatronDb, rows: readonly InstitutionRow[]): Promise<UpsertCounts> {
  const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const old = await trx.selectFrom("institutions").selectAll().where("institution_id", "=", row.institution_id).forUpdate().executeTakeFirst();
      if (old && sameRow(old, row)) {
        counts.unchanged++;
        continue;
      }
      counts[old ? "updated" : "created"]++;
      const { institution_id: _, ...changes } = row;
      await trx
        .insertInto("institutions")
        .values(row)
        .onConflict((oc) => oc.column("institution_id").doUpdateSet({ ...changes, updated_at: new Date() }))
        .execute();
    }
  });
  return counts;
}

/** Upserts patron types in one transaction; an unchanged row is not rewritten. */
export async function savePatronTypes(db: PatronDb, rows: readonly PatronTypeRow[]): Promise<UpsertCounts> {
  const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const old = await trx
        .selectFrom("patron_types")
        .selectAll()
        .where("institution_id", "=", row.institution_id)
        .where("patron_type", "=", row.patron_type)
        .forUpdate()
        .executeTakeFirst();
      const oldRow = old && { ...old, fee_limit_minor: old.fee_limit_minor === null ? null : Number(old.fee_limit_minor) };
      if (oldRow && sameRow(oldRow, row)) {
        counts.unchanged++;
        continue;
      }
      counts[old ? "updated" : "created"]++;
      const { institution_id: _i, patron_type: _t, ...changes } = row;
      await trx
        .insertInto("patron_types")
        .values(row)
        .onConflict((oc) => oc.columns(["institution_id", "patron_type"]).doUpdateSet({ ...changes, updated_at: new Date() }))
        .execute();
    }
  });
  return counts;
}

/** Patron types, of one institution or all ("" = all), by institution then type. */
export function patronTypeRows(db: PatronDb, institutionId: string) {
  let query = db.selectFrom("patron_types").selectAll().orderBy("institution_id").orderBy("patron_type");
  if (institutionId) query = query.where("institution_id", "=", institutionId);
  return query.execute();
}

function sameRow<T extends object>(old: T & { updated_at?: unknown }, row: T): boolean {
  return (Object.keys(row) as (keyof T)[]).every((k) => old[k] === row[k]);
}
