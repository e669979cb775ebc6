import { patron } from "@circulate/contracts";
import { callPeer, orNotFound } from "@circulate/service";
import type * as grpc from "@grpc/grpc-js";

/**
 * The patron service's answers the fee service needs. A peer that does not
 * answer by the deadline, or fails, rejects with the shared PeerUnavailableError.
 */
export interface PatronFacts {
  /** PIN check (when given) and standing, for 37. */
  verifyPatron(request: patron.VerifyPatronRequest, deadline: Date): Promise<patron.VerifyPatronResponse>;
  /** The patron by barcode or internal id; `undefined` when not found. */
  getPatron(request: patron.GetPatronRequest, deadline: Date): Promise<patron.Patron | undefined>;
  close(): void;
}

/** gRPC client of `library.patron.v1.Patrons`; a NOT_FOUND answer is a patron not found, not a failure. */
export function patronFacts(address: string, credentials: grpc.ChannelCredentials): PatronFacts {
  const client = new patron.PatronsClient(address, credentials);
  return {
    verifyPatron: async (request, deadline) =>
      (await orNotFound(callPeer("patron", client, client.verifyPatron, request, deadline))) ?? patron.VerifyPatronResponse.create({ found: false }),
    getPatron: async (request, deadline) => (await orNotFound(callPeer("patron", client, client.getPatron, request, deadline)))?.patron,
    close: () => client.close(),
  };
}
