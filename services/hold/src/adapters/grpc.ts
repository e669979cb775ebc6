import { hold as holdpb } from "@circulate/contracts";
import { type ExtraStatus, type GrpcService, unaryRpc } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { HoldDeps } from "../app/command.support.js";
import { StaffCancelRefusedError, staffCancelHold } from "../cancel-hold/staff-cancel-hold.handler.js";
import { getQueue } from "../get-queue/get-queue.handler.js";
import { upsertHolds } from "../import-holds/import-holds.handler.js";
import { listHolds } from "../list-holds/list-holds.handler.js";

const DEFAULT_BUDGET_MS = 5_000;
/** An import can be large: without a caller's deadline it gets this long, not the default budget. */
const IMPORT_BUDGET_MS = 30_000;

/** The caller's deadline, or `budgetMs` from now when it set none. */
const deadlineOr = (deadline: Date | undefined, budgetMs: number): Date => deadline ?? new Date(Date.now() + budgetMs);

/** The hold service's own error as a status: a staff cancel of an unknown or ended hold (the shared ones are `unaryRpc`'s). */
const holdStatusOf: ExtraStatus = (err) =>
  err instanceof StaffCancelRefusedError
    ? { code: err.kind === "not_found" ? grpc.status.NOT_FOUND : grpc.status.FAILED_PRECONDITION, details: err.message }
    : undefined;

/** `library.hold.v1.Holds`: queries (a patron's holds, a title's queue), the admin import and staff cancels; failures become statuses in `unaryRpc`. */
export function holdsGrpcService(deps: HoldDeps): GrpcService {
  const implementation: holdpb.HoldsServer = {
    listHolds: unaryRpc(deps.logger, "ListHolds", (req: holdpb.ListHoldsRequest) => listHolds(deps, req)),
    getQueue: unaryRpc(deps.logger, "GetQueue", (req: holdpb.GetQueueRequest, deadline) => getQueue(deps, req, deadlineOr(deadline, DEFAULT_BUDGET_MS))),
    upsertHolds: unaryRpc(deps.logger, "UpsertHolds", (req: holdpb.UpsertHoldsRequest, deadline) =>
      upsertHolds(deps, req, deadlineOr(deadline, IMPORT_BUDGET_MS)),
    ),
    cancelHold: unaryRpc(deps.logger, "CancelHold", (req: holdpb.CancelHoldRequest) => staffCancelHold(deps, req), holdStatusOf),
  };
  return { definition: holdpb.HoldsService, implementation };
}
