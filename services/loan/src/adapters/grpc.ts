import { loan } from "@circulate/contracts";
import { type GrpcService, unaryRpc } from "@circulate/service";
import type { LoanDeps } from "../app/command.js";
import { importLoans } from "../import-loans/import-loans.handler.js";
import { getLoan } from "../get-loan/get-loan.handler.js";
import { listLoans } from "../list-loans/list-loans.handler.js";
import { upsertCalendar } from "../upsert-calendar/upsert-calendar.handler.js";
import { upsertInstitutions } from "../upsert-institutions/upsert-institutions.handler.js";
import { upsertLoanRules } from "../upsert-loan-rules/upsert-loan-rules.handler.js";

/**
 * The `library.loan.v1.Loans` gRPC server: queries other services ask
 * (ListLoans for the patron service's usage facts, GetLoan for the item
 * service's due dates) and the admin operations of the data import. Failures
 * become statuses in `unaryRpc`, the same as in every service.
 */
export function loansGrpcService(deps: LoanDeps): GrpcService {
  const unary = <Req, Res>(rpc: string, fn: (request: Req) => Promise<Res>) => unaryRpc(deps.logger, rpc, fn);

  const implementation: loan.LoansServer = {
    listLoans: unary("ListLoans", (request: loan.ListLoansRequest) => listLoans(deps, request)),
    getLoan: unary("GetLoan", (request: loan.GetLoanRequest) => getLoan(deps, request)),
    upsertLoanRules: unary("UpsertLoanRules", (request: loan.UpsertLoanRulesRequest) => upsertLoanRules(deps.db, request)),
    upsertCalendar: unary("UpsertCalendar", (request: loan.UpsertCalendarRequest) => upsertCalendar(deps.db, request)),
    upsertInstitutions: unary("UpsertInstitutions", (request: loan.UpsertInstitutionsRequest) => upsertInstitutions(deps.db, request)),
    importLoans: unary("ImportLoans", (request: loan.ImportLoansRequest) => importLoans(deps, request)),
  };
  return { definition: loan.LoansService, implementation };
}
