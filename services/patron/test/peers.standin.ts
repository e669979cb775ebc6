// Small real gRPC servers standing in for the loan, fee and hold services
// (other processes, not a mock of Postgres or NATS): they answer the three
// RPCs the patron service's peers adapter calls from facts the tests set.
import { type common, fee, hold, loan } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

export type PeerName = "loan" | "fee" | "hold";

/** What the peers know about one patron (by barcode). */
export interface PatronUsage {
  loans: loan.Loan[];
  charges: fee.Charge[];
  holds: hold.Hold[];
}

/** The peers' shared test data and the requests they received. */
export class PeerWorld {
  readonly usage = new Map<string, PatronUsage>();
  /** Peers that take a request and never answer (the caller's deadline ends it). */
  readonly silent = new Set<PeerName>();
  readonly calls: Record<PeerName, common.PatronRef[]> = { loan: [], fee: [], hold: [] };

  of(barcode: string): PatronUsage {
    let u = this.usage.get(barcode);
    if (!u) {
      u = { loans: [], charges: [], holds: [] };
      this.usage.set(barcode, u);
    }
    return u;
  }

  /** Requests about one patron, per peer. */
  callsFor(barcode: string): Record<PeerName, number> {
    const count = (p: PeerName) => this.calls[p].filter((r) => r.barcode === barcode).length;
    return { loan: count("loan"), fee: count("fee"), hold: count("hold") };
  }
}

const DAY_MS = 86_400_000;
let seq = 0;

/** A loan due `dueInDays` from now (negative = overdue). */
export function aLoan(barcode: string, dueInDays: number, extra: Partial<loan.Loan> = {}): loan.Loan {
  seq++;
  return loan.Loan.fromPartial({
    loanId: `loan-${seq}`,
    item: { institutionId: "MAIN", barcode },
    title: `Title of ${barcode}`,
    checkedOutAt: new Date(Date.now() - 30 * DAY_MS + seq * 1_000),
    dueAt: new Date(Date.now() + dueInDays * DAY_MS),
    ...extra,
  });
}

/** An open charge of `amountMinor` US cents. */
export function aCharge(amountMinor: number, extra: Partial<fee.Charge> = {}): fee.Charge {
  seq++;
  const money = { currency: "USD", amountMinor };
  return fee.Charge.fromPartial({ feeId: `fee-${seq}`, amount: money, outstanding: money, description: `Charge ${seq}`, chargedAt: new Date(), ...extra });
}

/** A hold in `status` on a copy. */
export function aHold(barcode: string, status: hold.HoldStatus, extra: Partial<hold.Hold> = {}): hold.Hold {
  seq++;
  const available = status === hold.HoldStatus.AVAILABLE || status === hold.HoldStatus.IN_TRANSIT;
  return hold.Hold.fromPartial({
    holdId: `hold-${seq}`,
    item: { institutionId: "MAIN", barcode },
    title: `Title of ${barcode}`,
    pickupLocation: "MAIN",
    status,
    queuePosition: available ? 0 : 1,
    placedAt: new Date(Date.now() - DAY_MS),
    trappedItem: available ? { institutionId: "MAIN", barcode } : undefined,
    ...extra,
  });
}

const isAvailable = (h: hold.Hold) => h.status === hold.HoldStatus.AVAILABLE || h.status === hold.HoldStatus.IN_TRANSIT;

/** Answers from the world, or not at all when the peer is silent. */
function answer<Req extends { key?: { $case: string; value: unknown } }, Res>(
  world: PeerWorld,
  peer: PeerName,
  respond: (ref: common.PatronRef, request: Req) => Res,
) {
  return (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => {
    const key = call.request.key;
    if (key?.$case !== "patron") return cb({ code: grpc.status.INVALID_ARGUMENT, details: "stand-in answers by patron barcode only" });
    const ref = key.value as common.PatronRef;
    world.calls[peer].push(ref);
    if (world.silent.has(peer)) return;
    cb(null, respond(ref, call.request));
  };
}

export interface PeersStandIn {
  /** One address serving Loans, Fees and Holds. */
  address: string;
  close(): Promise<void>;
}

export async function startPeersStandIn(world: PeerWorld): Promise<PeersStandIn> {
  const server = new grpc.Server();
  server.addService(loan.LoansService, {
    listLoans: answer<loan.ListLoansRequest, loan.ListLoansResponse>(world, "loan", (ref, req) => {
      const asOf = (req.asOf ?? new Date()).getTime();
      const loans = world.of(ref.barcode).loans.map((l) => ({ ...l, overdue: (l.dueAt?.getTime() ?? Infinity) < asOf }));
      return loan.ListLoansResponse.create({
        loans,
        overdueCount: loans.filter((l) => l.overdue).length,
        recalledCount: loans.filter((l) => l.recalled).length,
      });
    }),
  } satisfies Partial<loan.LoansServer> as grpc.UntypedServiceImplementation);
  server.addService(fee.FeesService, {
    getAccount: answer<fee.GetAccountRequest, fee.GetAccountResponse>(world, "fee", (ref) => {
      const charges = world.of(ref.barcode).charges;
      const owed = charges.reduce((sum, c) => sum + (c.outstanding?.amountMinor ?? 0), 0);
      return fee.GetAccountResponse.create({
        account: fee.Account.create({ patronId: `pid-${ref.barcode}`, balance: { currency: "USD", amountMinor: owed }, charges }),
      });
    }),
  } satisfies Partial<fee.FeesServer> as grpc.UntypedServiceImplementation);
  server.addService(hold.HoldsService, {
    listHolds: answer<hold.ListHoldsRequest, hold.ListHoldsResponse>(world, "hold", (ref) => {
      const holds = world.of(ref.barcode).holds;
      return hold.ListHoldsResponse.create({
        holds,
        availableCount: holds.filter(isAvailable).length,
        unavailableCount: holds.filter((h) => h.status === hold.HoldStatus.WAITING).length,
      });
    }),
  } satisfies Partial<hold.HoldsServer> as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    // Forced: a silent peer leaves calls open that a graceful shutdown would wait for.
    close: async () => server.forceShutdown(),
  };
}
