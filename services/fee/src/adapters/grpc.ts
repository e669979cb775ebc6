import { fee } from "@circulate/contracts";
import type { GrpcService } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import { getAccount } from "../app/account.query.js";
import { AdminError, type AdminErrorKind, invalid } from "../app/admin-error.js";
import { chargeFee } from "../app/charge-fee.admin.js";
import type { FeeDeps } from "../app/deps.js";
import { importCharges } from "../app/import-charges.admin.js";
import { institutionProblem, upsertInstitutions } from "../app/institutions.js";
import { waiveFee } from "../app/waive-fee.admin.js";

const STATUS: Record<AdminErrorKind, grpc.status> = {
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  not_found: grpc.status.NOT_FOUND,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  unavailable: grpc.status.UNAVAILABLE,
};

/**
 * `library.fee.v1.Fees`. Typed errors become their status with a clear message;
 * anything else is INTERNAL with a generic one (the cause goes to the log only).
 */
export function feesGrpcService(deps: FeeDeps): GrpcService {
  const unary =
    <Req, Res>(name: string, run: (req: Req) => Promise<Res>) =>
    (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
      run(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => {
          if (err instanceof AdminError) return callback({ code: STATUS[err.kind], details: err.message });
          deps.logger.error({ err, rpc: name }, "fee RPC failed");
          callback({ code: grpc.status.INTERNAL, details: `${name} failed; see the fee service log` });
        },
      );
    };

  const implementation: fee.FeesServer = {
    getAccount: unary("GetAccount", (req: fee.GetAccountRequest) => getAccount(deps, req).then((account) => ({ account }))),
    chargeFee: unary("ChargeFee", (req: fee.ChargeFeeRequest) => chargeFee(deps, req)),
    waiveFee: unary("WaiveFee", (req: fee.WaiveFeeRequest) => waiveFee(deps, req)),
    importCharges: unary("ImportCharges", (req: fee.ImportChargesRequest) => importCharges(deps, req)),
    upsertInstitutions: unary("UpsertInstitutions", async (req: fee.UpsertInstitutionsRequest) => {
      req.institutions.forEach((i, n) => {
        const problem = institutionProblem(i);
        if (problem) throw invalid(`institutions[${n}]: ${problem}`);
      });
      return fee.UpsertInstitutionsResponse.create(await upsertInstitutions(deps.db, req.institutions, deps.defaults));
    }),
  };
  return { definition: fee.FeesService, implementation };
}
