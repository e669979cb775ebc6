import { patron as patronApi } from "@circulate/contracts";
import { type InstitutionRow, saveInstitutions } from "../adapters/reference-data.repository.js";
import type { PatronApp } from "../app/context.js";
import { failOn, validCurrency, validZone } from "./reference-data.validation.js";

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
  failOn(problems);
  return patronApi.UpsertInstitutionsResponse.create(await saveInstitutions(app.db, rows));
}
