// Starts the hold service in-process on a fresh database and a private NATS
// corner, with the patron service's stand-in, the demo copies and loans
// published as the item and loan services' events, the gateway's stand-in, a Holds gRPC
// client and helpers to send commands and read what was stored and published.
import { type Command, commands, common, hold as holdpb } from "@circulate/contracts";
import { readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, startService } from "@circulate/service";
import { GatewayStandIn, publishedEvent, testServiceConfig } from "@circulate/service/testing";
import { createTestDatabase, createTestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import type { HoldDb } from "../src/adapters/db.js";
import { grpcPeers } from "../src/adapters/peers.js";
import { holdQueueStreamId } from "../src/domain/index.js";
import { expireDueHolds } from "../src/expire-holds/expire-holds.handler.js";
import { holdService } from "../src/service.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { demoItems, demoLoans, peerEvents } from "./peer-events.js";
import { startPeersStandIn } from "./peers.standin.js";

export const terminal = common.Terminal.fromPartial({ account: "kiosk-main", institutionId: "MAIN", location: "MAIN" });
export const patronRef = (barcode: string) => ({ institutionId: "MAIN", barcode });
export const itemRef = (barcode: string) => ({ institutionId: "MAIN", barcode });

export async function startHarness() {
  const database = await createTestDatabase();
  /** What the service logged at warn or above. */
  const warnings: { msg: string; [field: string]: unknown }[] = [];
  const nats = createTestNats();
  const peers = await startPeersStandIn();
  const service: RunningService<HoldDb> = await startService(holdService(), testServiceConfig({ database, nats, peers: { patron: peers.address } }), {
    logger: pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line)) }),
  });
  const nc: NatsConnection = await connect({ servers: nats.url });
  const gateway = await GatewayStandIn.start(nc, nats.subjectPrefix, terminal);
  const jsm = await jetstreamManager(nc);
  const holds = new holdpb.HoldsClient(service.grpcAddress, grpc.credentials.createInsecure());
  const holdStream = eventStreamName(nats.streamPrefix, "hold");
  const loanStream = eventStreamName(nats.streamPrefix, "loan");
  const publish = peerEvents(jetstream(nc), nats.subjectPrefix);

  /** Polls until `done` holds (or the timeout passes) and returns the last value read. */
  async function eventually<T>(read: () => Promise<T>, done: (t: T) => boolean, timeoutMs = 5_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  for (const barcode of Object.keys(demoItems)) await publish.register(barcode);
  for (const [barcode, patron] of Object.entries(demoLoans)) await publish.checkout(patron, barcode);
  const count = async (table: "items" | "item_loans") =>
    Number((await service.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  await eventually(
    async () => [await count("items"), await count("item_loans")],
    ([items, loans]) => items === Object.keys(demoItems).length && loans === Object.keys(demoLoans).length,
  );

  /** Waits until the hold service has applied everything on the loan service's stream to its queues (hold-from-loan). */
  async function loanEventsApplied(timeoutMs = 5_000): Promise<void> {
    const last = (await jsm.streams.info(loanStream)).state.last_seq;
    const applied = await eventually(
      async () =>
        Number(
          (
            await service.db
              .selectFrom("consumer_checkpoints")
              .select("stream_sequence")
              .where("consumer", "=", `${loanStream}/hold-from-loan`)
              .executeTakeFirst()
          )?.stream_sequence ?? 0,
        ),
      (seq) => seq >= last,
      timeoutMs,
    );
    if (applied < last) throw new Error(`hold-from-loan applied up to ${applied} of ${last}`);
  }

  const unary =
    <Q, R>(method: (req: Q, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (e: grpc.ServiceError | null, r: R) => void) => unknown) =>
    (req: Q): Promise<R> =>
      new Promise((resolve, reject) =>
        method.call(holds, req, new grpc.Metadata(), { deadline: Date.now() + 5_000 }, (e, r) => (e ? reject(e) : resolve(r))),
      );

  return {
    service,
    db: service.db,
    nc,
    nats,
    peers,
    /** The item and loan services' events, as their relays publish them. */
    publish,
    eventually,
    loanEventsApplied,
    warnings,
    /** Plays the gateway: `send` a command, or `publish` an `envelope` (again, for a redelivery). */
    gateway,
    send: (command: Command) => gateway.send(command),
    /** Publishes an envelope and waits for its reply. */
    deliver: async (envelope: commands.CommandEnvelope) => (await gateway.publish(envelope))[0]!,
    rpc: {
      listHolds: unary<holdpb.ListHoldsRequest, holdpb.ListHoldsResponse>(holds.listHolds),
      getQueue: unary<holdpb.GetQueueRequest, holdpb.GetQueueResponse>(holds.getQueue),
      upsertHolds: unary<holdpb.UpsertHoldsRequest, holdpb.UpsertHoldsResponse>(holds.upsertHolds),
      cancelHold: unary<holdpb.CancelHoldRequest, holdpb.CancelHoldResponse>(holds.cancelHold),
    },
    /** The stored events of a title queue (id, type and proto JSON data). */
    storedEvents: async (titleId: string, institution = "MAIN") =>
      (await readStream(service.db, holdQueueStreamId(institution, titleId))).map((e) => ({
        eventId: e.eventId,
        type: e.type,
        data: e.data as Record<string, unknown>,
      })),
    /** A stored event as the relay published it on the hold service's stream (waits for the relay). */
    published: (eventId: string): ReturnType<typeof publishedEvent> => publishedEvent(jsm, holdStream, eventId),
    /** One run of the expiry sweep, now (the harness's service runs none). */
    expireDueHolds: async (): Promise<number> => {
      const clients = grpcPeers({ patron: peers.address }, grpc.credentials.createInsecure());
      try {
        return await expireDueHolds({
          db: service.db,
          peers: clients,
          projections: { caughtUp: async () => {} },
          settings: DEFAULT_SETTINGS,
          logger: pino({ level: "silent" }),
          eventsCommitted: () => {},
          now: () => new Date(),
        });
      } finally {
        clients.close();
      }
    },
    close: async () => {
      holds.close();
      await service.stop();
      await gateway.close();
      await nc.close();
      await peers.close();
      await nats.cleanup();
      await database.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export function placeHold(barcode: string, fields: Partial<commands.PlaceHold> = {}): Command {
  return { $case: "placeHold", value: commands.PlaceHold.fromPartial({ patron: patronRef(barcode), pin: "1234", ...fields }) };
}
export function cancelHold(barcode: string, fields: Partial<commands.CancelHold> = {}): Command {
  return { $case: "cancelHold", value: commands.CancelHold.fromPartial({ patron: patronRef(barcode), pin: "1234", ...fields }) };
}
export function changeHold(barcode: string, fields: Partial<commands.ChangeHold> = {}): Command {
  return { $case: "changeHold", value: commands.ChangeHold.fromPartial({ patron: patronRef(barcode), pin: "1234", ...fields }) };
}
