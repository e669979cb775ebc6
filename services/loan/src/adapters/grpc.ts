import { loan } from "@circulate/contracts";
import { ProjectionBehindError } from "@circulate/service";
import type { GrpcService } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import { InvalidArgument, upsertCalendar, upsertInstitutions, upsertLoanRules } from "../app/admin.js";
import type { LoanDeps } from "../app/command.js";
import { importLoans } from "../app/import-loans.js";
import { getLoan, listLoans } from "../app/loans.query.js";
import { PeerError } from "../app/peers.js";

/**
 * The `library.loan.v1.Loans` gRPC server: queries other services ask
 * (ListLoans for the patron service's usage facts, GetLoan for the item
 * service's due dates) and the admin operations of the data import.
 * Errors have one home here: bad input → INVALID_ARGUMENT with the problems;
 * a peer that did not answer → UNAVAILABLE / DEADLINE_EXCEEDED; anything else
 * → INTERNAL, logged, with no internals in the message.
 */
export function loansGrpcService(deps: LoanDeps): GrpcService {
  const unary =
    <Req, Res>(name: string, fn: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      fn(call.request).then(
        (response) => callback(null, response),
        (err: unknown) => callback(toStatus(deps, name, err)),
      );
    };

  const implementation: loan.LoansServer = {
    listLoans: unary("ListLoans", async (request: loan.ListLoansRequest) => {
      if (!request.key) throw new InvalidArgument(["patron or patron_id is required"]);
      return listLoans(deps.db, request.key, request.asOf ?? deps.now());
    }),
    getLoan: unary("GetLoan", async (request: loan.GetLoanRequest) => {
      if (!request.key) throw new InvalidArgument(["item or item_id is required"]);
      return getLoan(deps.db, request.key, deps.now());
    }),
    upsertLoanRules: unary("UpsertLoanRules", (request: loan.UpsertLoanRulesRequest) => upsertLoanRules(deps.db, request)),
    upsertCalendar: unary("UpsertCalendar", (request: loan.UpsertCalendarRequest) => upsertCalendar(deps.db, request)),
    upsertInstitutions: unary("UpsertInstitutions", (request: loan.UpsertInstitutionsRequest) => upsertInstitutions(deps.db, request)),
    importLoans: unary("ImportLoans", (request: loan.ImportLoansRequest) => importLoans(deps, request)),
  };
  return { definition: loan.LoansService, implementation };
}

function toStatus(deps: LoanDeps, rpc: string, err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof InvalidArgument) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof PeerError) {
    deps.logger.warn({ err, rpc }, "peer did not answer");
    return { code: err.kind === "deadline" ? grpc.status.DEADLINE_EXCEEDED : grpc.status.UNAVAILABLE, details: err.message };
  }
  if (err instanceof ProjectionBehindError) {
    deps.logger.warn({ err, rpc }, "peers' facts not current");
    return { code: grpc.status.UNAVAILABLE, details: err.message };
  }
  deps.logger.error({ err, rpc }, "loan RPC failed");
  return { code: grpc.status.INTERNAL, details: `${rpc} failed; see the loan service's logs` };
}
