import { InvalidArgumentError } from "@circulate/service";

/** Why an admin request was not carried out, as recorded under its request id. */
export type AdminErrorKind = "invalid_argument" | "not_found" | "failed_precondition";

/** An admin request refused for a reason of the fee service's own (gRPC NOT_FOUND or FAILED_PRECONDITION). */
export class AdminError extends Error {
  override readonly name = "AdminError";
  constructor(
    readonly kind: Exclude<AdminErrorKind, "invalid_argument">,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new InvalidArgumentError([message]);

/** The error a refusal of `kind` is raised as: bad input is the shared InvalidArgumentError. */
export function adminError(kind: AdminErrorKind, message: string): Error {
  return kind === "invalid_argument" ? invalid(message) : new AdminError(kind, message);
}
