/** A gRPC request the service cannot act on; the message says what to fix (→ INVALID_ARGUMENT). */
export class InvalidArgumentError extends Error {
  override readonly name = "InvalidArgumentError";
}
