import { common, patron as patronApi } from "@circulate/contracts";
import { patronTypeRows } from "../adapters/reference-data.repository.js";
import type { PatronApp } from "../app/context.js";

/** `Patrons.ListPatronTypes`: of one institution, or of all when none is named. */
export async function listPatronTypes(app: PatronApp, request: patronApi.ListPatronTypesRequest): Promise<patronApi.ListPatronTypesResponse> {
  const rows = await patronTypeRows(app.db, request.institutionId);
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
