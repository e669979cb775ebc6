/** Bad input to an admin or query RPC (gRPC INVALID_ARGUMENT); the message says what and where. */
export class InvalidArgumentError extends Error {
  override readonly name = "InvalidArgumentError";
}

/** The patron named in an admin RPC does not exist (gRPC NOT_FOUND). */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}
