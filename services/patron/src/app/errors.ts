/** The patron named in an admin RPC does not exist (gRPC NOT_FOUND). */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}
