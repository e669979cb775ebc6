import type { patron } from "@circulate/contracts";

/**
 * What the loan service asks other services, in their contracts' terms. The
 * gRPC clients in adapters/peers.ts implement it; every call takes the
 * absolute deadline of the command it serves.
 */
export interface Peers {
  verifyPatron(request: patron.VerifyPatronRequest, deadline: Date): Promise<patron.VerifyPatronResponse>;
  getPatron(request: patron.GetPatronRequest, deadline: Date): Promise<patron.GetPatronResponse>;
  close(): void;
}

export type PeerName = "patron";

/**
 * A peer did not answer: `deadline` when the command's time ran out while
 * waiting, `unavailable` for anything else (down, refused, broken). Kiosks see
 * DEADLINE_EXCEEDED / BACKEND_UNAVAILABLE; the message is for logs only.
 */
export class PeerError extends Error {
  override readonly name = "PeerError";
  constructor(
    readonly peer: PeerName,
    readonly kind: "deadline" | "unavailable" | "not_found",
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${peer} service: ${message}`, options);
  }
}

/** Calls a lookup whose peer may answer NOT_FOUND instead of an empty response. */
export async function orNotFound<T>(call: Promise<T>, empty: T): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof PeerError && err.kind === "not_found") return empty;
    throw err;
  }
}
