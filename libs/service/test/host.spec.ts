import { ReplyClient } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, events, item, unpackEvent } from "@circulate/contracts";
import { type EventStoreDatabase, handleCommand } from "@circulate/eventstore";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventStreamName, protoJsonEncoder, type RunningService, type ServiceConfig, startService, storedOutcome } from "../src/index.js";
import { accepted, GatewayStandIn, publishedEvent, publishPeerEvent, testServiceConfig } from "../src/testing/index.js";

const terminal = common.Terminal.fromPartial({ account: "kiosk1", institutionId: "MAIN", location: "MAIN" });

// A one-command patron service: enough to prove the wiring, not the rules.
const blockOnly = {
  name: "patron" as const,
  migrations: {},
  build: ({ db, eventsCommitted }: { db: import("kysely").Kysely<EventStoreDatabase>; eventsCommitted: () => void }) => {
    const refuseAll = async (_: unknown, env: commands.CommandEnvelope) =>
      acceptedOutcome(env, { $case: "endPatronSession", value: {} });
    return {
      encodeEvent: protoJsonEncoder,
      handlers: {
        blockPatron: async (cmd: commands.BlockPatron, env: commands.CommandEnvelope) => {
          const result = await handleCommand(db, {
            commandId: env.commandId,
            streamId: `patron-${cmd.patron?.barcode}`,
            initialState: () => null,
            evolve: (s) => s,
            metadata: { institution: env.institutionId, correlationId: env.correlationId },
            decide: () => ({
              events: [{ type: "PatronBlocked", data: { patronId: cmd.patron?.barcode, reason: cmd.message, cardRetained: cmd.cardRetained } }],
              outcome: commands.Outcome.toJSON(acceptedOutcome(env, { $case: "blockPatron", value: { standing: undefined } })),
            }),
          });
          eventsCommitted();
          return storedOutcome(result.outcome, result.replayed);
        },
        getPatronStatus: refuseAll,
        getPatronInformation: refuseAll,
        enablePatron: refuseAll,
        endPatronSession: refuseAll,
      },
    };
  },
};

describe("service host", () => {
  let database: TestDatabase;
  let nats: TestNats;
  let service: RunningService<EventStoreDatabase>;
  let config: ServiceConfig;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = createTestNats();
    config = testServiceConfig({ database, nats });
    service = await startService(blockOnly, config, { logger: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await service?.stop();
    await nats.cleanup();
    await database.drop();
  });

  it("takes a command from NATS, stores its event, replies over gRPC and relays the event to JetStream", async () => {
    const nc = await connect({ servers: nats.url });
    const gateway = await GatewayStandIn.start(nc, nats.subjectPrefix, terminal);
    const env = gateway.envelope({
      $case: "blockPatron",
      value: commands.BlockPatron.fromPartial({ patron: { institutionId: "MAIN", barcode: "P0004" }, message: "card kept", cardRetained: true }),
    });
    const [outcome] = await gateway.publish(env);
    expect(outcome).toBeDefined();
    expect(accepted(outcome!, "blockPatron")).toEqual({ standing: undefined });

    const jsm = await jetstreamManager(nc);
    const stream = eventStreamName(nats.streamPrefix, "patron");
    await jsm.consumers.add(stream, { durable_name: "probe", ack_policy: "none" as never });
    const consumer = await jetstream(nc).consumers.get(stream, "probe");
    const msg = await consumer.next({ expires: 5_000 });
    expect(msg?.subject).toBe(`${nats.subjectPrefix}.evt.patron.PatronBlocked`);
    const envelope = events.EventEnvelope.decode(msg!.data);
    expect(envelope).toMatchObject({ type: "PatronBlocked", institutionId: "MAIN", correlationId: env.correlationId, streamPosition: 1 });
    expect(unpackEvent(envelope)).toMatchObject({ type: "PatronBlocked", event: { patronId: "P0004", cardRetained: true } });
    expect(msg?.headers?.get("Nats-Msg-Id")).toBe(envelope.eventId);

    const ready = await fetch(`${service.ops.url}/readyz`);
    expect(ready.status).toBe(200);

    // The same command again is answered from its record, and counted as such.
    const [again] = await gateway.publish(env);
    expect(again?.replayed).toBe(true);
    const metrics = await (await fetch(`${service.ops.url}/metrics`)).text();
    expect(metrics).toContain('circulate_commands_total{command="blockPatron",result="accepted",reason=""} 1');
    expect(metrics).toContain('circulate_commands_total{command="blockPatron",result="replayed",reason=""} 1');
    expect(metrics).toContain('circulate_idempotency_hits_total{command="blockPatron"} 1');
    expect(metrics).toContain('circulate_command_duration_seconds_count{command="blockPatron"} 2');
    expect(metrics).toContain('circulate_events_published_total{type="PatronBlocked"} 1');
    expect(metrics).toContain("circulate_relay_lag_events 0");
    expect(metrics).toContain("# TYPE circulate_peer_call_duration_seconds histogram");
    new ReplyClient().close();
    await gateway.close();
    await nc.close();
  });

  it("has a test kit that publishes a peer's event as its relay would", async () => {
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    const stream = eventStreamName(nats.streamPrefix, "item");
    await jsm.streams.add({ name: stream, subjects: [`${nats.subjectPrefix}.evt.item.>`] });
    const sent = await publishPeerEvent(jetstream(nc), nats.subjectPrefix, "ItemMarkedLost", { itemId: "i-1" }, { streamId: "item-i-1", streamPosition: 3 });
    const got = await publishedEvent(jsm, stream, sent.envelope.eventId);
    expect(got.subject).toBe(`${nats.subjectPrefix}.evt.item.ItemMarkedLost`);
    expect(got.envelope).toMatchObject({ streamId: "item-i-1", streamPosition: 3, institutionId: "MAIN" });
    expect(got.event).toEqual({ type: "ItemMarkedLost", event: item.ItemMarkedLost.fromPartial({ itemId: "i-1" }) });
    await nc.close();
  });
});
