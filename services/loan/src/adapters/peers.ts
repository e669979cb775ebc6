import { patron } from "@circulate/contracts";
import { callPeer } from "@circulate/service";
import type * as grpc from "@grpc/grpc-js";
import type { Peers } from "../app/peers.js";

/** gRPC addresses (host:port) of the services the loan service asks. */
export interface PeerAddresses {
  patron: string;
}

/**
 * The generated gRPC client of the patron service, one channel reused by
 * every command (a unary call costs ~0.3 ms of CPU;
 * a new channel far more).
 */
export function grpcPeers(addresses: PeerAddresses, credentials: grpc.ChannelCredentials): Peers {
  const patrons = new patron.PatronsClient(addresses.patron, credentials);
  return {
    verifyPatron: (request, deadline) => callPeer("patron", patrons, patrons.verifyPatron, request, deadline),
    getPatron: (request, deadline) => callPeer("patron", patrons, patrons.getPatron, request, deadline),
    close: () => {
      patrons.close();
    },
  };
}
