import type { ServiceName } from "@circulate/contracts";

/**
 * Failures every service shares, with one meaning each across the command
 * pipeline (a refusal reason) and the gRPC server (a status):
 * - `InvalidArgumentError`: the request is malformed; nothing was done.
 * - `PeerUnavailableError`: a peer asked synchronously did not answer in time
 *   (`deadline`), could not be reached or failed (`unavailable`), or answered
 *   NOT_FOUND where a lookup expected an answer (`not_found`).
 * - `ProjectionBehindError` (projections.ts): our copy of a peer's facts did not
 *   catch up in time.
 * - `DeadlineExceededError` (@circulate/eventstore): the command's deadline passed before commit.
 */
export class InvalidArgumentError extends Error {
  override readonly name = "InvalidArgumentError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
  }
}

export type PeerFailure = "deadline" | "unavailable" | "not_found";

export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
  constructor(
    readonly peer: ServiceName,
    readonly kind: PeerFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${peer} service: ${message}`, options);
  }
}
