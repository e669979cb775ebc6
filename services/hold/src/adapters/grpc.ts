import { hold as holdpb } from "@circulate/contracts";
import { DeadlineExceededError } from "@circulate/eventstore";
import { type GrpcService, ProjectionBehindError } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { HoldDeps } from "../app/command.support.js";
import { InvalidArgumentError } from "../app/errors.js";
import { getQueue, listHolds } from "../app/queries.js";
import { upsertHolds } from "../app/upsert-holds.js";
import { PeerUnavailableError } from "./peers.js";

const DEFAULT_BUDGET_MS = 5_000;

/** The caller's deadline, when it set one. */
function deadlineOf(call: grpc.ServerUnaryCall<unknown, unknown>): Date | undefined {
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : d;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Errors have one home per edge: bad input → INVALID_ARGUMENT, peers → UNAVAILABLE, the rest → INTERNAL (logged, not leaked). */
function toStatus(deps: HoldDeps, err: unknown, method: string): Partial<grpc.StatusObject> {
  if (err instanceof InvalidArgumentError) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof DeadlineExceededError) return { code: grpc.status.DEADLINE_EXCEEDED, details: "deadline passed; nothing was applied" };
  // Item or loan facts not caught up with their service in time: as that peer out of time.
  if (err instanceof ProjectionBehindError) return { code: grpc.status.DEADLINE_EXCEEDED, details: "item facts not current yet; nothing was applied" };
  if (err instanceof PeerUnavailableError)
    return { code: err.code === grpc.status.DEADLINE_EXCEEDED ? grpc.status.DEADLINE_EXCEEDED : grpc.status.UNAVAILABLE, details: err.message };
  deps.logger.error({ err, method }, "gRPC call failed");
  return { code: grpc.status.INTERNAL, details: `${method} failed` };
}

function unary<Q, R>(deps: HoldDeps, method: string, fn: (request: Q, deadline: Date | undefined) => Promise<R>): grpc.handleUnaryCall<Q, R> {
  return (call, callback) => {
    fn(call.request, deadlineOf(call)).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toStatus(deps, err, method)),
    );
  };
}

const budget = (deps: HoldDeps, deadline: Date | undefined) => (deadline ? deadline.getTime() - deps.now().getTime() : DEFAULT_BUDGET_MS);

/** `library.hold.v1.Holds`: queries (a patron's holds, a title's queue) and the admin import. */
export function holdsGrpcService(deps: HoldDeps): GrpcService {
  const implementation: holdpb.HoldsServer = {
    listHolds: unary(deps, "ListHolds", (req: holdpb.ListHoldsRequest) => listHolds(deps, req)),
    getQueue: unary(deps, "GetQueue", (req: holdpb.GetQueueRequest, deadline) => getQueue(deps, req, budget(deps, deadline))),
    // An import can be large: the caller's deadline bounds it, not a default budget.
    upsertHolds: unary(deps, "UpsertHolds", (req: holdpb.UpsertHoldsRequest, deadline) => upsertHolds(deps, req, deadline ? budget(deps, deadline) : 30_000)),
  };
  return { definition: holdpb.HoldsService, implementation };
}
