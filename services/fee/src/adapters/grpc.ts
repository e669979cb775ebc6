import { fee } from "@circulate/contracts";
import { type ExtraStatus, type GrpcService, unaryRpc } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import { AdminError } from "../app/admin-error.js";
import type { FeeDeps } from "../app/deps.js";
import { chargeFee } from "../charge-fee/charge-fee.handler.js";
import { getAccount } from "../get-account/get-account.handler.js";
import { importCharges } from "../import-charges/import-charges.handler.js";
import { upsertInstitutions } from "../upsert-institutions/upsert-institutions.handler.js";
import { waiveFee } from "../waive-fee/waive-fee.handler.js";

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
    upsertInstitutions: unary("UpsertInstitutions", (req: fee.UpsertInstitutionsRequest) => upsertInstitutions(deps, req)),
  };
  return { definition: fee.FeesService, implementation };
}
