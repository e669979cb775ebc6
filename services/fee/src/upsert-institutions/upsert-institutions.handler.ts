import { fee } from "@circulate/contracts";
import { type InstitutionRecord, upsertInstitutionRecords } from "../adapters/institutions.repository.js";
import { invalid } from "../app/admin-error.js";
import type { FeeDeps } from "../app/deps.js";
import { calendarProblem } from "../assess-overdue-fine/closed-days.policy.js";
import { isCurrencyCode, isTimeZone } from "../domain/index.js";

/** Why an institution record cannot be stored, or `null` ("" zone or currency: the service default). */
export function institutionProblem(i: InstitutionRecord): string | null {
  if (!i.institutionId.trim()) return "institution_id is required";
  if (i.timeZone && !isTimeZone(i.timeZone)) return `time_zone ${JSON.stringify(i.timeZone)} is not an IANA time zone`;
  if (i.currency && !isCurrencyCode(i.currency)) return `currency ${JSON.stringify(i.currency)} is not an ISO 4217 code`;
  return calendarProblem(i);
}

/**
 * `Fees.UpsertInstitutions`: every record is checked first (one bad record
 * rejects the request), then created or replaced; the same record again
 * counts as neither.
 */
export async function upsertInstitutions(deps: FeeDeps, req: fee.UpsertInstitutionsRequest): Promise<fee.UpsertInstitutionsResponse> {
  req.institutions.forEach((i, n) => {
    const problem = institutionProblem(i);
    if (problem) throw invalid(`institutions[${n}]: ${problem}`);
  });
  const records = req.institutions.map((i) => ({
    ...i,
    timeZone: i.timeZone || deps.defaults.timeZone,
    currency: i.currency || deps.defaults.currency,
  }));
  return fee.UpsertInstitutionsResponse.create(await upsertInstitutionRecords(deps.db, records));
}
