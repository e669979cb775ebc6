import { type common, patron } from "@circulate/contracts";
import { callPeer, orNotFound } from "@circulate/service";
import type * as grpc from "@grpc/grpc-js";

/**
 * The questions the hold service still asks other services: the PIN check of
 * 15, and the patron's internal id for the admin import. Copies and loans it
 * knows from their services' events. Every call takes its absolute deadline
 * (`peerDeadline` on a command's behalf); a peer that does not answer by then,
 * or fails, rejects with the shared PeerUnavailableError.
 */
export interface Peers {
  verifyPatron(request: patron.VerifyPatronRequest, deadline: Date): Promise<patron.VerifyPatronResponse>;
  /** `undefined` when the patron does not exist. */
  getPatron(ref: common.PatronRef, deadline: Date): Promise<patron.Patron | undefined>;
  close(): void;
}

/** A generated grpc-js client, one channel, reused for every call. */
export function grpcPeers(addresses: { patron: string }, credentials: grpc.ChannelCredentials): Peers {
  const patrons = new patron.PatronsClient(addresses.patron, credentials);
  return {
    verifyPatron: (request, deadline) => callPeer("patron", patrons, patrons.verifyPatron, request, deadline),
    getPatron: async (ref, deadline) =>
      (await orNotFound(callPeer("patron", patrons, patrons.getPatron, { key: { $case: "patron", value: ref } }, deadline)))?.patron,
    close: () => patrons.close(),
  };
}
