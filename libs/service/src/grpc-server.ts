import { DeadlineExceededError } from "@circulate/eventstore";
import type { Logger } from "@circulate/runtime";
import * as grpc from "@grpc/grpc-js";
import { InvalidArgumentError, PeerUnavailableError } from "./errors.js";
import { ProjectionBehindError } from "./projections.js";

/** A service's own errors as gRPC statuses (e.g. an import refused); undefined = not one of them. */
export type ExtraStatus = (err: unknown) => Partial<grpc.StatusObject> | undefined;

/**
 * The gRPC status of a failure, the same in every service: bad input →
 * INVALID_ARGUMENT with its problems; our copy of a peer's facts or a peer not
 * answering → UNAVAILABLE (DEADLINE_EXCEEDED when time ran out); a deadline
 * passed before commit → DEADLINE_EXCEEDED; anything else → INTERNAL, logged,
 * with no internals in the message.
 */
export function grpcStatusOf(logger: Logger, rpc: string, err: unknown, extra?: ExtraStatus): Partial<grpc.StatusObject> {
  const own = extra?.(err);
  if (own) return own;
  if (err instanceof InvalidArgumentError) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof DeadlineExceededError) return { code: grpc.status.DEADLINE_EXCEEDED, details: "deadline passed; nothing was applied" };
  if (err instanceof ProjectionBehindError) {
    logger.warn({ err, rpc }, "peers' facts not current");
    return { code: grpc.status.UNAVAILABLE, details: "facts from other services are not current yet; nothing was applied" };
  }
  if (err instanceof PeerUnavailableError) {
    logger.warn({ err, rpc }, "peer did not answer");
    if (err.kind === "not_found") return { code: grpc.status.NOT_FOUND, details: err.message };
    return { code: err.kind === "deadline" ? grpc.status.DEADLINE_EXCEEDED : grpc.status.UNAVAILABLE, details: err.message };
  }
  logger.error({ err, rpc }, "gRPC call failed");
  return { code: grpc.status.INTERNAL, details: `${rpc} failed; see the service's log` };
}

/**
 * A unary handler from an async function of the request and the caller's
 * deadline (undefined when it sent none). Every service's RPCs are written this way.
 */
export function unaryRpc<Req, Res>(
  logger: Logger,
  rpc: string,
  fn: (request: Req, deadline: Date | undefined) => Promise<Res>,
  extra?: ExtraStatus,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const deadline = call.getDeadline();
    const at = deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined;
    fn(call.request, at).then(
      (response) => callback(null, response),
      (err: unknown) => callback(grpcStatusOf(logger, rpc, err, extra)),
    );
  };
}
