import { patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/** A peer service could not answer (down, slow past the deadline, or failing): not a fact, a reason to refuse. */
export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
}

/** The patron service's answers the fee service needs. */
export interface PatronFacts {
  /** PIN check (when given) and standing, for 37. */
  verifyPatron(request: patron.VerifyPatronRequest, timeoutMs: number): Promise<patron.VerifyPatronResponse>;
  /** The patron by barcode or internal id; `undefined` when not found. */
  getPatron(request: patron.GetPatronRequest, timeoutMs: number): Promise<patron.Patron | undefined>;
  close(): void;
}

/** gRPC client of `library.patron.v1.Patrons` with a deadline on every call. */
export function patronFacts(address: string): PatronFacts {
  const client = new patron.PatronsClient(address, grpc.credentials.createInsecure());
  const call = <Req, Res>(
    method: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    request: Req,
    timeoutMs: number,
  ) =>
    new Promise<Res>((resolve, reject) => {
      method.call(client, request, new grpc.Metadata(), { deadline: Date.now() + Math.max(1, timeoutMs) }, (err, res) => {
        if (!err) return resolve(res);
        reject(err.code === grpc.status.NOT_FOUND ? err : new PeerUnavailableError(`patron service: ${err.details || err.message}`, { cause: err }));
      });
    });
  return {
    verifyPatron: async (request, timeoutMs) => {
      try {
        return await call<patron.VerifyPatronRequest, patron.VerifyPatronResponse>(client.verifyPatron, request, timeoutMs);
      } catch (err) {
        if ((err as grpc.ServiceError).code === grpc.status.NOT_FOUND) return patron.VerifyPatronResponse.create({ found: false });
        throw err;
      }
    },
    getPatron: async (request, timeoutMs) => {
      try {
        const res = await call<patron.GetPatronRequest, patron.GetPatronResponse>(client.getPatron, request, timeoutMs);
        return res.patron;
      } catch (err) {
        // A server that answers NOT_FOUND instead of an empty response means the same thing.
        if ((err as grpc.ServiceError).code === grpc.status.NOT_FOUND) return undefined;
        throw err;
      }
    },
    close: () => client.close(),
  };
}
