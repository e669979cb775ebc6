import type { loan } from "@circulate/contracts";
import { isTimeZone } from "@circulate/domain";
import { InvalidArgumentError } from "@circulate/service";
import { findInstitution, saveInstitution } from "../adapters/config.repository.js";
import type { LoanDb } from "../adapters/db.js";

/**
 * Admin `Loans.UpsertInstitutions`: creates or replaces institutions (name,
 * time zone, currency) by id, after validating the whole request; a re-run
 * changes nothing and says so.
 */
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
      const values = { name: inst.name, timeZone: inst.timeZone, currency: inst.currency };
      const before = await findInstitution(trx, id);
      if (before && before.name === values.name && before.timeZone === values.timeZone && before.currency === values.currency) {
        counts.unchanged++;
        continue;
      }
      counts[before ? "updated" : "created"]++;
      await saveInstitution(trx, id, values);
    }
  });
  return counts;
}
