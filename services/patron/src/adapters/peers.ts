import { type common, fee, hold, loan } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/** A peer service could not answer (down, slow past the deadline, or failing). */
export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
  constructor(
    readonly peer: "loan" | "fee" | "hold",
    readonly code: grpc.status | undefined,
    options?: ErrorOptions,
  ) {
    super(`${peer} service unavailable${code === undefined ? "" : ` (gRPC ${grpc.status[code] ?? code})`}`, options);
  }
}

/** The facts the patron service asks other services for. */
export interface Peers {
  /** The patron's current loans and counts (loan service). */
  listLoans(patron: common.PatronRef, asOf: Date, deadline: Date): Promise<loan.ListLoansResponse>;
  /** The patron's balance and open charges (fee service). */
  getAccount(patron: common.PatronRef, deadline: Date): Promise<fee.Account>;
  /** The patron's open holds and counts (hold service). */
  listHolds(patron: common.PatronRef, deadline: Date): Promise<hold.ListHoldsResponse>;
  close(): void;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

function call<Req, Res>(peer: PeerUnavailableError["peer"], fn: Unary<Req, Res>, request: Req, deadline: Date): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn(request, new grpc.Metadata(), { deadline }, (err, res) =>
      err ? reject(new PeerUnavailableError(peer, err.code, { cause: err })) : resolve(res),
    );
  });
}

/**
 * gRPC clients of the loan, fee and hold services, one channel each, reused.
 * Patrons are named by barcode (`PatronRef`), the key every peer's list RPC
 * accepts, in the canonical form the patron is registered under.
 */
export function createPeers(addresses: { loan: string; fee: string; hold: string }): Peers {
  const insecure = grpc.credentials.createInsecure();
  const loans = new loan.LoansClient(addresses.loan, insecure);
  const fees = new fee.FeesClient(addresses.fee, insecure);
  const holds = new hold.HoldsClient(addresses.hold, insecure);
  return {
    listLoans: (patron, asOf, deadline) =>
      call("loan", loans.listLoans.bind(loans), loan.ListLoansRequest.create({ key: { $case: "patron", value: patron }, asOf }), deadline),
    getAccount: async (patron, deadline) => {
      const res = await call("fee", fees.getAccount.bind(fees), fee.GetAccountRequest.create({ key: { $case: "patron", value: patron } }), deadline);
      return res.account ?? fee.Account.create();
    },
    listHolds: (patron, deadline) =>
      call("hold", holds.listHolds.bind(holds), hold.ListHoldsRequest.create({ key: { $case: "patron", value: patron } }), deadline),
    close: () => {
      loans.close();
      fees.close();
      holds.close();
    },
  };
}
