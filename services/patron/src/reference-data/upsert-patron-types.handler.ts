import { patron as patronApi } from "@circulate/contracts";
import { type PatronTypeRow, savePatronTypes } from "../adapters/reference-data.repository.js";
import type { PatronApp } from "../app/context.js";
import { failOn, validCurrency } from "./reference-data.validation.js";

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
  failOn(problems);
  return patronApi.UpsertPatronTypesResponse.create(await savePatronTypes(app.db, rows));
}
