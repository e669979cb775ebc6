import { type common, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/** A peer service could not answer (down, too slow, or failed). Never a domain answer. */
export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
  constructor(
    readonly peer: "patron",
    readonly code: grpc.status | undefined,
    options?: ErrorOptions,
  ) {
    super(`${peer} service unavailable${code === undefined ? "" : ` (gRPC ${grpc.status[code]})`}`, options);
  }
}

/**
 * The questions the hold service still asks other services: the PIN check of
 * 15, and the patron's internal id for the admin import. Copies and loans it
 * knows from their services' events. Every call takes its time budget in ms.
 */
export interface Peers {
  verifyPatron(request: patron.VerifyPatronRequest, budgetMs: number): Promise<patron.VerifyPatronResponse>;
  /** `undefined` when the patron does not exist. */
  getPatron(ref: common.PatronRef, budgetMs: number): Promise<patron.Patron | undefined>;
  close(): void;
}

type Callback<R> = (error: grpc.ServiceError | null, response: R) => void;
type Unary<Q, R> = (request: Q, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback<R>) => unknown;

function call<Q, R>(peer: PeerUnavailableError["peer"], method: Unary<Q, R>, request: Q, budgetMs: number): Promise<R> {
  return new Promise((resolve, reject) => {
    method(request, new grpc.Metadata(), { deadline: Date.now() + Math.max(1, budgetMs) }, (err, res) => {
      if (err) reject(new PeerUnavailableError(peer, err.code, { cause: err }));
      else resolve(res);
    });
  });
}

/** A peer that answers NOT_FOUND instead of an empty response means "not found", not "down". */
async function orNotFound<R>(p: Promise<R>): Promise<R | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof PeerUnavailableError && err.code === grpc.status.NOT_FOUND) return undefined;
    throw err;
  }
}

/** A generated grpc-js client, one channel, reused for every call. */
export function grpcPeers(addresses: { patron: string }): Peers {
  const patrons = new patron.PatronsClient(addresses.patron, grpc.credentials.createInsecure());
  return {
    verifyPatron: (request, budgetMs) => call("patron", patrons.verifyPatron.bind(patrons), request, budgetMs),
    getPatron: async (ref, budgetMs) =>
      (await orNotFound(call("patron", patrons.getPatron.bind(patrons), { key: { $case: "patron", value: ref } }, budgetMs)))?.patron,
    close: () => patrons.close(),
  };
}
