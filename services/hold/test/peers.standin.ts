// A small real gRPC server standing in for the patron service (another
// process, not a mock of Postgres or NATS): canned facts, the calls the hold
// service makes, nothing else. Copies and loans reach the hold service as the
// item and loan services' events (peer-events.ts).
import { setTimeout as delay } from "node:timers/promises";
import { type common, patron } from "@circulate/contracts";
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

/** The demo library's people, as far as holds care. Barcodes are keys; all at MAIN. */
export const demoPatrons: Record<string, StandInPatron> = {
  P0001: { patronId: "pat-1", name: "Ada Lovelace", homeLocation: "MAIN" },
  P0002: { patronId: "pat-2", name: "Charles Babbage", homeLocation: "MAIN", finesOverLimit: true },
  P0003: { patronId: "pat-3", name: "Grace Hopper", homeLocation: "MAIN", expired: true },
  P0004: { patronId: "pat-4", name: "Alan Turing", homeLocation: "MAIN", blocked: true },
  P0005: { patronId: "pat-5", name: "Katherine Johnson", homeLocation: "MAIN" },
  P0006: { patronId: "pat-6", name: "Edsger Dijkstra", homeLocation: "EAST" },
};

export interface PeersStandIn {
  address: string;
  /** Delay every VerifyPatron by this many ms (slow patron service). */
  verifyDelayMs: number;
  /** Calls served, by method name. */
  readonly calls: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export async function startPeersStandIn(): Promise<PeersStandIn> {
  const state = { verifyDelayMs: 0 };
  const calls: Record<string, number> = {};
  const count = (method: string) => {
    calls[method] = (calls[method] ?? 0) + 1;
  };
  const patronOf = (ref: common.PatronRef | undefined) => (ref ? demoPatrons[ref.barcode] : undefined);
  const toPatron = (ref: common.PatronRef, p: StandInPatron): patron.Patron =>
    patron.Patron.fromPartial({ patronId: p.patronId, patron: ref, name: p.name, homeLocation: p.homeLocation, blocked: !!p.blocked });

  const patrons: Partial<patron.PatronsServer> = {
    getPatron: (call, cb) => {
      count("getPatron");
      const ref = call.request.key?.$case === "patron" ? call.request.key.value : undefined;
      const p = patronOf(ref);
      cb(null, { patron: ref && p ? toPatron(ref, p) : undefined });
    },
    verifyPatron: async (call, cb) => {
      count("verifyPatron");
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

  const server = new grpc.Server();
  server.addService(patron.PatronsService, patrons as grpc.UntypedServiceImplementation);
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
    calls,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
