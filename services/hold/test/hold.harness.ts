// Starts the hold service in-process on a fresh database and a private NATS
// corner, with the patron service's stand-in, the demo copies and loans
// published as the item and loan services' events, a reply sink, a Holds gRPC
// client and helpers to send commands and read what was stored and published.
import { publishCommand, startReplySink } from "@circulate/commandbus";
import { type AnyEvent, commands, common, events, hold as holdpb, newCommandEnvelope, unpackEvent } from "@circulate/contracts";
import { readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, startService } from "@circulate/service";
import { createTestDatabase, createTestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import type { HoldDb } from "../src/adapters/db.js";
import { grpcPeers } from "../src/adapters/peers.js";
import { expireDueHolds } from "../src/expire-holds/expire-holds.handler.js";
import { holdQueueStreamId } from "../src/domain/index.js";
import { holdService } from "../src/service.js";
import { demoItems, demoLoans, peerEvents } from "./peer-events.js";
import { startPeersStandIn } from "./peers.standin.js";

type Outcome = commands.Outcome;
type Published = AnyEvent & { subject: string; msgId: string | undefined; envelope: events.EventEnvelope };
type Command = NonNullable<commands.CommandEnvelope["command"]>;

export const terminal = common.Terminal.fromPartial({ account: "kiosk-main", institutionId: "MAIN", location: "MAIN" });
export const patronRef = (barcode: string) => ({ institutionId: "MAIN", barcode });
export const itemRef = (barcode: string) => ({ institutionId: "MAIN", barcode });

export async function startHarness() {
  const database = await createTestDatabase();
  /** What the service logged at warn or above. */
  const warnings: { msg: string; [field: string]: unknown }[] = [];
  const nats = createTestNats();
  const peers = await startPeersStandIn();
  const waiting = new Map<string, (o: Outcome) => void>();
  const sink = await startReplySink({
    onOutcome: (o) => {
      const resolve = waiting.get(o.correlationId);
      waiting.delete(o.correlationId);
      resolve?.(o);
      return resolve !== undefined;
    },
  });
  const service: RunningService<HoldDb> = await startService(
    holdService(),
    {
      postgresUrl: database.url,
      createDatabase: false,
      natsUrl: nats.url,
      subjectPrefix: nats.subjectPrefix,
      streamPrefix: nats.streamPrefix,
      grpcHost: "127.0.0.1",
      grpcPort: 0,
      opsHost: "127.0.0.1",
      opsPort: 0,
      peers: { patron: peers.address, item: "", loan: "", fee: "", hold: "" },
      logLevel: "silent",
      prettyLogs: false,
    },
    { logger: pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line)) }) },
  );
  const nc: NatsConnection = await connect({ servers: nats.url });
  const holds = new holdpb.HoldsClient(service.grpcAddress, grpc.credentials.createInsecure());
  const holdStream = eventStreamName(nats.streamPrefix, "hold");
  const loanStream = eventStreamName(nats.streamPrefix, "loan");
  const publish = peerEvents(nc, nats);

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
    const last = (await (await jetstreamManager(nc)).streams.info(loanStream)).state.last_seq;
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

  /** Publishes an envelope and waits for the outcome delivered to the reply sink. */
  const deliver = (env: commands.CommandEnvelope, timeoutMs = 5_000): Promise<Outcome> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no outcome for ${env.commandId}`)), timeoutMs);
      waiting.set(env.correlationId, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      publishCommand(nc, env, nats.subjectPrefix);
    });

  const envelope = (command: Command, extra: { commandId?: string; deadline?: Date } = {}) =>
    extra.deadline
      ? newCommandEnvelope({ command, terminal, replyTo: sink.address, deadline: extra.deadline, commandId: extra.commandId })
      : newCommandEnvelope({ command, terminal, replyTo: sink.address, timeoutMs: 5_000, commandId: extra.commandId });

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
    envelope,
    deliver,
    send: (command: Command) => deliver(envelope(command)),
    rpc: {
      listHolds: unary<holdpb.ListHoldsRequest, holdpb.ListHoldsResponse>(holds.listHolds),
      getQueue: unary<holdpb.GetQueueRequest, holdpb.GetQueueResponse>(holds.getQueue),
      upsertHolds: unary<holdpb.UpsertHoldsRequest, holdpb.UpsertHoldsResponse>(holds.upsertHolds),
    },
    /** The stored events of a title queue (type + proto JSON data). */
    storedEvents: async (titleId: string, institution = "MAIN") =>
      (await readStream(service.db, holdQueueStreamId(institution, titleId))).map((e) => ({
        type: e.type,
        data: e.data as Record<string, unknown>,
      })),
    /** The events published on the hold service's JetStream stream, once `done` says enough are there (or after the timeout). */
    published: async (done: (messages: Published[]) => boolean, timeoutMs = 5_000): Promise<Published[]> => {
      const jsm = await jetstreamManager(nc);
      const until = Date.now() + timeoutMs;
      for (;;) {
        const info = await jsm.streams.info(holdStream);
        const out: Published[] = [];
        for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
          const m = await jsm.streams.getMessage(holdStream, { seq });
          if (!m) continue;
          const env = events.EventEnvelope.decode(m.data);
          out.push({ subject: m.subject, msgId: m.header?.get("Nats-Msg-Id"), envelope: env, ...unpackEvent(env) });
        }
        if (done(out) || Date.now() > until) return out;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** One run of the expiry sweep, now (the harness's service runs none). */
    expireDueHolds: async (): Promise<number> => {
      const clients = grpcPeers({ patron: peers.address });
      try {
        return await expireDueHolds({
          db: service.db,
          peers: clients,
          projections: { caughtUp: async () => {} },
          settings: { shelfDays: 7, pickupLocations: null },
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
      await nc.close();
      await sink.close();
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

export function accepted(o: Outcome): commands.HoldAccepted {
  if (o.result?.$case !== "accepted") throw new Error(`expected accepted, got ${JSON.stringify(commands.Outcome.toJSON(o))}`);
  const p = o.result.value.payload;
  if (!p || (p.$case !== "placeHold" && p.$case !== "cancelHold" && p.$case !== "changeHold")) throw new Error("not a hold payload");
  return p.value;
}

export function refusal(o: Outcome): commands.RefusalReason | undefined {
  return o.result?.$case === "refused" ? o.result.value.reason : undefined;
}
