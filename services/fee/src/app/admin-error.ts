/** Why an admin or query RPC was not carried out; the gRPC adapter maps `kind` to a status code. */
export type AdminErrorKind = "invalid_argument" | "not_found" | "failed_precondition" | "unavailable";

export class AdminError extends Error {
  override readonly name = "AdminError";
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new AdminError("invalid_argument", message);
