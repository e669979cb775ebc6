import { common, currencyDigits, patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import type { InstitutionsTable, PatronTypesTable } from "../adapters/db.js";
import type { PatronApp } from "./context.js";

type Counts = { created: number; updated: number; unchanged: number };

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function validCurrency(code: string): boolean {
  try {
    currencyDigits(code);
    return /^[A-Z]{3}$/.test(code);
  } catch {
    return false;
  }
}

function fail(problems: string[]): void {
  if (problems.length > 0) throw new InvalidArgumentError(problems.slice(0, 20));
}

type InstitutionRow = Omit<InstitutionsTable, "updated_at">;
type PatronTypeRow = Omit<PatronTypesTable, "updated_at" | "fee_limit_minor"> & { fee_limit_minor: number | null };

/**
 * `Patrons.UpsertInstitutions`: reference data, plain rows keyed by
 * institution id (not event-sourced: no event contract, nothing consumes
 * them). Validated first (IANA zone, ISO 4217 currency), then upserted in one
 * transaction; an unchanged row is not rewritten.
 */
export async function upsertInstitutions(app: PatronApp, request: patronApi.UpsertInstitutionsRequest): Promise<patronApi.UpsertInstitutionsResponse> {
  const problems: string[] = [];
  const rows: InstitutionRow[] = [];
  const ids = new Set<string>();
  for (const [n, i] of request.institutions.entries()) {
    const at = `institutions[${n}]`;
    if (!i.institutionId) {
      problems.push(`${at}: institution_id is required`);
      continue;
    }
    if (ids.has(i.institutionId)) {
      problems.push(`${at}: ${i.institutionId} appears twice`);
      continue;
    }
    ids.add(i.institutionId);
    if (!validZone(i.timeZone)) {
      problems.push(`${at}: time_zone is not an IANA zone: ${JSON.stringify(i.timeZone)}`);
      continue;
    }
    if (i.pinLockMinutes === 0) {
      problems.push(`${at}: pin_lock_minutes must be at least 1 (leave it unset for a lock that lasts until staff lift it)`);
      continue;
    }
    if (!validCurrency(i.currency)) {
      problems.push(`${at}: currency is not an ISO 4217 code: ${JSON.stringify(i.currency)}`);
      continue;
    }
    rows.push({
      institution_id: i.institutionId,
      name: i.name || i.institutionId,
      time_zone: i.timeZone,
      currency: i.currency,
      consortium_id: i.consortiumId,
      max_wrong_pins: i.maxWrongPins ?? null,
      pin_lock_minutes: i.pinLockMinutes ?? null,
    });
  }
  fail(problems);
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  await app.db.transaction().execute(async (trx) => {
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
  return patronApi.UpsertInstitutionsResponse.create(counts);
}

/**
 * `Patrons.UpsertPatronTypes`: the limits of a patron type at an institution
 * ("*" = the institution's default). Unset limits = no limit. A fee limit's
 * currency may be empty (= the institution's) or must be a valid code.
 */
export async function upsertPatronTypes(app: PatronApp, request: patronApi.UpsertPatronTypesRequest): Promise<patronApi.UpsertPatronTypesResponse> {
  const problems: string[] = [];
  const rows: PatronTypeRow[] = [];
  const keys = new Set<string>();
  for (const [n, t] of request.patronTypes.entries()) {
    const at = `patron_types[${n}]`;
    if (!t.institutionId || !t.patronType) {
      problems.push(`${at}: institution_id and patron_type are required`);
      continue;
    }
    const key = JSON.stringify([t.institutionId, t.patronType]);
    if (keys.has(key)) {
      problems.push(`${at}: ${t.institutionId}/${t.patronType} appears twice`);
      continue;
    }
    keys.add(key);
    const fee = t.limits?.feeLimit;
    if (fee && fee.currency !== "" && !validCurrency(fee.currency)) {
      problems.push(`${at}: fee_limit.currency is not an ISO 4217 code`);
      continue;
    }
    if (fee && fee.amountMinor < 0) {
      problems.push(`${at}: fee_limit must not be negative`);
      continue;
    }
    rows.push({
      institution_id: t.institutionId,
      patron_type: t.patronType,
      description: t.description,
      max_loans: t.limits?.maxLoans ?? null,
      max_overdue: t.limits?.maxOverdue ?? null,
      max_holds: t.limits?.maxHolds ?? null,
      fee_limit_minor: fee ? fee.amountMinor : null,
      fee_limit_currency: fee?.currency ?? "",
    });
  }
  fail(problems);
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  await app.db.transaction().execute(async (trx) => {
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
  return patronApi.UpsertPatronTypesResponse.create(counts);
}

export async function listPatronTypes(app: PatronApp, request: patronApi.ListPatronTypesRequest): Promise<patronApi.ListPatronTypesResponse> {
  let query = app.db.selectFrom("patron_types").selectAll().orderBy("institution_id").orderBy("patron_type");
  if (request.institutionId) query = query.where("institution_id", "=", request.institutionId);
  const rows = await query.execute();
  return patronApi.ListPatronTypesResponse.create({
    patronTypes: rows.map((r) =>
      patronApi.PatronType.create({
        institutionId: r.institution_id,
        patronType: r.patron_type,
        description: r.description,
        limits: patronApi.PatronLimits.create({
          maxLoans: r.max_loans ?? undefined,
          maxOverdue: r.max_overdue ?? undefined,
          maxHolds: r.max_holds ?? undefined,
          feeLimit:
            r.fee_limit_minor === null ? undefined : common.Money.create({ currency: r.fee_limit_currency, amountMinor: Number(r.fee_limit_minor) }),
        }),
      }),
    ),
  });
}

function sameRow<T extends object>(old: T & { updated_at?: unknown }, row: T): boolean {
  return (Object.keys(row) as (keyof T)[]).every((k) => old[k] === row[k]);
}
