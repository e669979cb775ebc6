import { fee } from "@circulate/contracts";
import { type ExtraStatus, type GrpcService, unaryRpc } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import { getAccount } from "../app/account.query.js";
import { AdminError, invalid } from "../app/admin-error.js";
import { chargeFee } from "../app/charge-fee.admin.js";
import type { FeeDeps } from "../app/deps.js";
import { importCharges } from "../app/import-charges.admin.js";
import { institutionProblem, upsertInstitutions } from "../app/institutions.js";
import { waiveFee } from "../app/waive-fee.admin.js";

const STATUS: Record<AdminError["kind"], grpc.status> = {
  not_found: grpc.status.NOT_FOUND,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
};

/** The fee service's own refusals as statuses; the shared failures are mapped by `unaryRpc`. */
const feeStatusOf: ExtraStatus = (err) => (err instanceof AdminError ? { code: STATUS[err.kind], details: err.message } : undefined);

/** `library.fee.v1.Fees`. */
export function feesGrpcService(deps: FeeDeps): GrpcService {
  const unary = <Req, Res>(rpc: string, run: (req: Req) => Promise<Res>) => unaryRpc(deps.logger, rpc, run, feeStatusOf);

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
