import { common, hold, item, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/**
 * A stand-in for the patron service: a small real gRPC server on 127.0.0.1
 * answering the RPCs the loan service calls from canned facts the tests set. They stand for other processes, not for Postgres or NATS.
 */

export interface CannedPatron {
  patronId: string;
  barcode: string;
  name: string;
  patronType: string;
  pin: string;
  blocked?: boolean;
  expired?: boolean;
  flags?: Partial<common.PatronStatusFlags>;
  /** Answer VerifyPatron only after this many ms (a slow patron service). */
  delayMs?: number;
}

/**
 * What the peers know. Patrons are answered by a stand-in patron service;
 * items and holds reach the loan service as the item and hold services' events
 * (the harness publishes what changed here before each command).
 */
export class World {
  readonly patrons = new Map<string, CannedPatron>();
  readonly items = new Map<string, item.Item>();
  /** Items and holds set since the harness last published them. */
  readonly unpublished: { items: item.Item[]; holds: hold.Hold[]; patrons: CannedPatron[] } = { items: [], holds: [], patrons: [] };
  readonly verifyRequests: patron.VerifyPatronRequest[] = [];

  patron(p: CannedPatron): CannedPatron {
    this.patrons.set(p.barcode, p);
    this.unpublished.patrons.push(p);
    return p;
  }

  item(barcode: string, overrides: Partial<item.Item> = {}): item.Item {
    const it = item.Item.fromPartial({
      itemId: `id-${barcode}`,
      item: { institutionId: "MAIN", barcode },
      title: `Title of ${barcode}`,
      titleId: `title-${barcode}`,
      itemType: "book",
      mediaType: common.MediaType.BOOK,
      permanentLocation: "MAIN-STACKS",
      owner: "MAIN",
      state: item.ItemState.AVAILABLE,
      circulating: true,
      ...overrides,
    });
    this.items.set(barcode, it);
    this.unpublished.items.push(it);
    return it;
  }

  /** A hold in the queue of a MAIN title (`title-<barcode>` for a copy's title). */
  hold(h: Partial<hold.Hold>): hold.Hold {
    const placed = hold.Hold.fromPartial({ queueInstitutionId: "MAIN", status: hold.HoldStatus.WAITING, ...h });
    this.unpublished.holds.push(placed);
    return placed;
  }

  standing(p: CannedPatron, pin: string | undefined): common.PatronStanding {
    const denied = !!p.blocked || !!p.expired;
    return common.PatronStanding.fromPartial({
      patronId: p.patronId,
      patron: { institutionId: "MAIN", barcode: p.barcode },
      name: p.name,
      status: { chargePrivilegesDenied: denied, renewalPrivilegesDenied: denied, ...p.flags },
      validPatron: true,
      pinValid: pin === undefined ? undefined : pin === p.pin,
    });
  }
}

type Impl = grpc.UntypedServiceImplementation;
const ok = <T>(cb: grpc.sendUnaryData<T>, value: T) => cb(null, value);

function patronsImpl(world: World): Impl {
  return {
    verifyPatron: (call: grpc.ServerUnaryCall<patron.VerifyPatronRequest, patron.VerifyPatronResponse>, cb: grpc.sendUnaryData<patron.VerifyPatronResponse>) => {
      world.verifyRequests.push(call.request);
      const p = world.patrons.get(call.request.patron?.barcode ?? "");
      const answer = () =>
        ok(
          cb,
          p
            ? patron.VerifyPatronResponse.fromPartial({
                found: true,
                standing: world.standing(p, call.request.pin),
                patronType: p.patronType,
                blocked: !!p.blocked,
                expired: !!p.expired,
              })
            : patron.VerifyPatronResponse.fromPartial({ found: false }),
        );
      if (p?.delayMs) setTimeout(answer, p.delayMs);
      else answer();
    },
    getPatron: (call: grpc.ServerUnaryCall<patron.GetPatronRequest, patron.GetPatronResponse>, cb: grpc.sendUnaryData<patron.GetPatronResponse>) => {
      const key = call.request.key;
      const p = [...world.patrons.values()].find((x) => (key?.$case === "patronId" ? x.patronId === key.value : x.barcode === key?.value.barcode));
      ok(
        cb,
        patron.GetPatronResponse.fromPartial({
          patron: p ? { patronId: p.patronId, patron: { institutionId: "MAIN", barcode: p.barcode }, name: p.name, patronType: p.patronType } : undefined,
        }),
      );
    },
  };
}

export interface StandIns {
  patron: string;
  close(): Promise<void>;
}

async function serve(definition: grpc.ServiceDefinition, implementation: Impl): Promise<{ address: string; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, server };
}

export async function startStandIns(world: World): Promise<StandIns> {
  const p = await serve(patron.PatronsService, patronsImpl(world));
  return {
    patron: p.address,
    close: async () => {
      p.server.forceShutdown();
    },
  };
}
