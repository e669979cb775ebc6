import type { patron } from "@circulate/contracts";

/**
 * What the loan service asks other services, in their contracts' terms. The
 * gRPC clients in adapters/peers.ts implement it; every call takes the
 * absolute deadline of the command it serves (`peerDeadline`), and a peer that
 * does not answer by then, or fails, rejects with the shared PeerUnavailableError.
 */
export interface Peers {
  verifyPatron(request: patron.VerifyPatronRequest, deadline: Date): Promise<patron.VerifyPatronResponse>;
  getPatron(request: patron.GetPatronRequest, deadline: Date): Promise<patron.GetPatronResponse>;
  close(): void;
}
