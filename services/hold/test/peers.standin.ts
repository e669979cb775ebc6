// Small real gRPC servers standing in for the patron, item and loan services
// (another process, not a mock of Postgres or NATS): canned facts, the calls
// the hold service makes, nothing else.
import { setTimeout as delay } from "node:timers/promises";
import { type common, item, loan, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

export const PIN = "1234";

export interface StandInPatron {
  patronId: string;
  name: string;
  homeLocation: string;
  blocked?: boolean;
  expired?: boolean;
  finesOverLimit?: boolean;
}

export interface StandInItem {
  itemId: string;
  titleId: string;
  title: string;
  homeLocation: string;
  circulating?: boolean;
  state?: item.ItemState;
}

/** The demo library's people and copies, as far as holds care. Barcodes are keys; all at MAIN. */
export const demoPatrons: Record<string, StandInPatron> = {
  P0001: { patronId: "pat-1", name: "Ada Lovelace", homeLocation: "MAIN" },
  P0002: { patronId: "pat-2", name: "Charles Babbage", homeLocation: "MAIN", finesOverLimit: true },
  P0003: { patronId: "pat-3", name: "Grace Hopper", homeLocation: "MAIN", expired: true },
  P0004: { patronId: "pat-4", name: "Alan Turing", homeLocation: "MAIN", blocked: true },
  P0005: { patronId: "pat-5", name: "Katherine Johnson", homeLocation: "MAIN" },
  P0006: { patronId: "pat-6", name: "Edsger Dijkstra", homeLocation: "EAST" },
};

export const demoItems: Record<string, StandInItem> = {
  I0001: { itemId: "item-1", titleId: "bib-frankenstein", title: "Frankenstein", homeLocation: "MAIN" },
  I0002: { itemId: "item-2", titleId: "bib-dune", title: "Dune", homeLocation: "MAIN" },
  I0003: { itemId: "item-3", titleId: "bib-frankenstein", title: "Frankenstein", homeLocation: "EAST" },
  I0004: { itemId: "item-4", titleId: "bib-oed", title: "Oxford English Dictionary", homeLocation: "MAIN", circulating: false },
  I0005: { itemId: "item-5", titleId: "bib-hidden-figures", title: "Hidden Figures", homeLocation: "MAIN" },
  I0006: { itemId: "item-6", titleId: "bib-cosmos", title: "Cosmos", homeLocation: "MAIN" },
  I0007: { itemId: "item-7", titleId: "bib-sicp", title: "Structure and Interpretation of Computer Programs", homeLocation: "MAIN" },
  I0008: { itemId: "item-8", titleId: "bib-missing", title: "Lost Horizon", homeLocation: "MAIN", state: item.ItemState.MISSING },
  // Two copies of one title, for checkins racing for the same hold.
  I0011: { itemId: "item-11", titleId: "bib-war-and-peace", title: "War and Peace", homeLocation: "MAIN" },
  I0012: { itemId: "item-12", titleId: "bib-war-and-peace", title: "War and Peace", homeLocation: "MAIN" },
};

/** Items on loan (barcode → borrower barcode). */
export const demoLoans: Record<string, string> = { I0005: "P0005", I0007: "P0006" };

export interface PeersStandIn {
  address: string;
  /** Delay every VerifyPatron by this many ms (slow patron service). */
  verifyDelayMs: number;
  close(): Promise<void>;
}

export async function startPeersStandIn(): Promise<PeersStandIn> {
  const state = { verifyDelayMs: 0 };
  const patronOf = (ref: common.PatronRef | undefined) => (ref ? demoPatrons[ref.barcode] : undefined);
  const toPatron = (ref: common.PatronRef, p: StandInPatron): patron.Patron =>
    patron.Patron.fromPartial({ patronId: p.patronId, patron: ref, name: p.name, homeLocation: p.homeLocation, blocked: !!p.blocked });
  const toItem = (ref: common.ItemRef, i: StandInItem): item.Item =>
    item.Item.fromPartial({
      itemId: i.itemId,
      item: ref,
      title: i.title,
      titleId: i.titleId,
      permanentLocation: i.homeLocation,
      currentLocation: i.homeLocation,
      circulating: i.circulating ?? true,
      state: i.state ?? item.ItemState.AVAILABLE,
    });

  const patrons: Partial<patron.PatronsServer> = {
    getPatron: (call, cb) => {
      const ref = call.request.key?.$case === "patron" ? call.request.key.value : undefined;
      const p = patronOf(ref);
      cb(null, { patron: ref && p ? toPatron(ref, p) : undefined });
    },
    verifyPatron: async (call, cb) => {
      if (state.verifyDelayMs > 0) await delay(state.verifyDelayMs);
      const { patron: ref, pin } = call.request;
      const p = patronOf(ref);
      if (!ref || !p) return cb(null, patron.VerifyPatronResponse.fromPartial({ found: false }));
      const denied = !!(p.blocked || p.expired || p.finesOverLimit);
      cb(
        null,
        patron.VerifyPatronResponse.fromPartial({
          found: true,
          blocked: !!p.blocked,
          expired: !!p.expired,
          homeLocation: p.homeLocation,
          standing: {
            patronId: p.patronId,
            patron: ref,
            name: p.name,
            validPatron: true,
            pinValid: pin === undefined ? undefined : pin === PIN,
            status: {
              chargePrivilegesDenied: denied,
              renewalPrivilegesDenied: denied,
              holdPrivilegesDenied: denied,
              excessiveOutstandingFines: !!p.finesOverLimit,
            },
          },
        }),
      );
    },
  };
  const items: Partial<item.ItemsServer> = {
    getItem: (call, cb) => {
      const ref = call.request.key?.$case === "item" ? call.request.key.value : undefined;
      const i = ref ? demoItems[ref.barcode] : undefined;
      cb(null, { item: ref && i ? toItem(ref, i) : undefined });
    },
    getItems: (call, cb) =>
      cb(null, {
        items: call.request.items.flatMap((ref) => {
          const i = demoItems[ref.barcode];
          return i ? [toItem(ref, i)] : [];
        }),
      }),
  };
  const loans: Partial<loan.LoansServer> = {
    getLoan: (call, cb) => {
      const ref = call.request.key?.$case === "item" ? call.request.key.value : undefined;
      const borrower = ref ? demoLoans[ref.barcode] : undefined;
      cb(null, {
        loan: ref && borrower ? loan.Loan.fromPartial({ loanId: `loan-${ref.barcode}`, item: ref, patron: { institutionId: "MAIN", barcode: borrower } }) : undefined,
      });
    },
  };

  const server = new grpc.Server();
  server.addService(patron.PatronsService, patrons as grpc.UntypedServiceImplementation);
  server.addService(item.ItemsService, items as grpc.UntypedServiceImplementation);
  server.addService(loan.LoansService, loans as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    get verifyDelayMs() {
      return state.verifyDelayMs;
    },
    set verifyDelayMs(ms: number) {
      state.verifyDelayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
