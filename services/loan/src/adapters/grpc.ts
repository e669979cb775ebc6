import { loan } from "@circulate/contracts";
import { type GrpcService, InvalidArgumentError, unaryRpc } from "@circulate/service";
import { upsertCalendar, upsertInstitutions, upsertLoanRules } from "../app/admin.js";
import type { LoanDeps } from "../app/command.js";
import { importLoans } from "../app/import-loans.js";
import { getLoan, listLoans } from "../app/loans.query.js";

/**
 * The `library.loan.v1.Loans` gRPC server: queries other services ask
 * (ListLoans for the patron service's usage facts, GetLoan for the item
 * service's due dates) and the admin operations of the data import. Failures
 * become statuses in `unaryRpc`, the same as in every service.
 */
export function loansGrpcService(deps: LoanDeps): GrpcService {
  const unary = <Req, Res>(rpc: string, fn: (request: Req) => Promise<Res>) => unaryRpc(deps.logger, rpc, fn);

  const implementation: loan.LoansServer = {
    listLoans: unary("ListLoans", async (request: loan.ListLoansRequest) => {
      if (!request.key) throw new InvalidArgumentError(["patron or patron_id is required"]);
      return listLoans(deps.db, request.key, request.asOf ?? deps.now());
    }),
    getLoan: unary("GetLoan", async (request: loan.GetLoanRequest) => {
      if (!request.key) throw new InvalidArgumentError(["item or item_id is required"]);
      return getLoan(deps.db, request.key, deps.now());
    }),
    upsertLoanRules: unary("UpsertLoanRules", (request: loan.UpsertLoanRulesRequest) => upsertLoanRules(deps.db, request)),
    upsertCalendar: unary("UpsertCalendar", (request: loan.UpsertCalendarRequest) => upsertCalendar(deps.db, request)),
    upsertInstitutions: unary("UpsertInstitutions", (request: loan.UpsertInstitutionsRequest) => upsertInstitutions(deps.db, request)),
    importLoans: unary("ImportLoans", (request: loan.ImportLoansRequest) => importLoans(deps, request)),
  };
  return { definition: loan.LoansService, implementation };
}
