import { setTimeout as sleep } from "node:timers/promises";
import { headers } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  appendToStream,
  type ConsumerOptions,
  deleteProcessedMessagesBefore,
  type DurableConsumer,
  type EventStoreDatabase,
  type JsonEventEnvelope,
  jsonEventMessage,
  readConsumerCheckpoint,
  startConsumer,
  startRelay,
} from "../src/index.js";
import { createJetStream, createStore, eventually, type NatsFixture, type StoreFixture } from "./support.js";

/** A promise a handler waits on until the test lets it go. */
function held(): { gate: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { gate, release };
}

describe("durable consumer", () => {
  let s: StoreFixture;
  let n: NatsFixture;
  let consumers: DurableConsumer[];
  let handled: string[];

  beforeAll(async () => {
    s = await createStore();
    await sql`CREATE TABLE applied (message_id text PRIMARY KEY, body text NOT NULL)`.execute(s.db);
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    [n] = await Promise.all([createJetStream(200), s.reset("applied")]);
    consumers = [];
    handled = [];
  });
  afterEach(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await n.close();
  });

  async function start(options: Partial<ConsumerOptions<EventStoreDatabase>> = {}): Promise<DurableConsumer> {
    const consumer = await startConsumer({
      db: s.db,
      js: n.js,
      stream: n.stream,
      durableName: "projector",
      filterSubjects: [n.subject(">")],
      nakDelayMs: 20,
      onError: () => {},
      handle: async (msg, trx) => {
        const id = msg.headers?.get("Nats-Msg-Id") ?? "";
        handled.push(id);
        await sql`INSERT INTO applied (message_id, body) VALUES (${id}, ${msg.string()})`.execute(trx);
      },
      ...options,
    });
    consumers.push(consumer);
    return consumer;
  }

  const publish = (msgID: string, body = msgID) => n.js.publish(n.subject("Thing"), body, { msgID });
  /** evt-1, then evt-2 to evt-20 while the handler holds evt-1's transaction, then lets it go; the last sequence. */
  const publishBehindTheFirst = async (release: () => void) => {
    await publish("evt-1");
    let last = 0;
    for (let i = 2; i <= 20; i++) last = (await publish(`evt-${i}`)).seq;
    await sleep(100);
    release();
    return last;
  };
  const appliedCount = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM applied`.execute(s.db)).rows[0]!.n;
  const checkpointAt = (name: string, seq: number) =>
    eventually(async () => ((await readConsumerCheckpoint(s.db, name)) === seq ? true : undefined), `checkpoint ${seq}`);

  it("skips a redelivered message it already applied and advances the checkpoint", async () => {
    const key = `${n.stream}/projector`;
    // evt-9 was applied before, but its ack never reached the server.
    await sql`INSERT INTO processed_messages (consumer, message_id, stream_sequence) VALUES (${key}, 'evt-9', 0)`.execute(
      s.db,
    );
    await publish("evt-1");
    await publish("evt-2");
    await sleep(250); // past the 200 ms duplicate window: the stream stores evt-1 again
    await publish("evt-1");
    await publish("evt-9");
    const last = await publish("evt-3");

    const consumer = await start();
    await checkpointAt(key, last.seq);
    expect(handled).toEqual(["evt-1", "evt-2", "evt-3"]);
    expect(await appliedCount()).toBe(3);
    expect(consumer.stats).toEqual({ processed: 3, duplicates: 2, skipped: 0, failed: 0 });
    await eventually(async () => {
      const info = await n.jsm.consumers.info(n.stream, "projector");
      return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
    }, "all acked");
  });

  it("rolls back a failing handler, tries the message again, and applies nothing after it first", async () => {
    let failures = 0;
    const calls: number[] = [];
    const consumer = await start({
      handle: async (msg, trx) => {
        calls.push(msg.seq);
        await sql`INSERT INTO applied (message_id, body) VALUES (${msg.seq.toString()}, 'x')`.execute(trx);
        if (msg.seq === 1 && failures++ === 0) throw new Error("handler broke after writing");
      },
    });
    await publish("evt-1");
    const last = await publish("evt-2");
    await checkpointAt(consumer.checkpointName, last.seq);
    await eventually(async () => (consumer.stats.processed === 2 ? true : undefined), "both applied");
    expect(await appliedCount()).toBe(2);
    expect(calls).toEqual([1, 1, 2]);
    expect(consumer.stats).toEqual({ processed: 2, duplicates: 0, skipped: 0, failed: 1 });
  });

  it("applies what arrived together in one transaction, in stream order", async () => {
    let transactions = 0;
    const seen: number[] = [];
    const { gate, release } = held();
    const consumer = await start({
      handle: async (msg, trx) => {
        // The first message holds its transaction until the rest have arrived.
        if (msg.seq === 1) await gate;
        const { rows } = await sql<{ id: number }>`SELECT txid_current() AS id`.execute(trx);
        seen.push(msg.seq);
        if (!seenTx.has(rows[0]!.id)) transactions++;
        seenTx.add(rows[0]!.id);
        await sql`INSERT INTO applied (message_id, body) VALUES (${msg.seq.toString()}, 'x')`.execute(trx);
      },
    });
    const seenTx = new Set<number>();
    const last = await publishBehindTheFirst(release);
    await checkpointAt(consumer.checkpointName, last);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(transactions).toBe(2);
  });

  it("shares one durable consumer among replicas and applies each message once", async () => {
    const [a, b] = [await start(), await start()];
    const h = headers();
    h.set("Circulate-Test", "1");
    let last = 0;
    for (let i = 0; i < 40; i++) last = (await n.js.publish(n.subject("Thing"), `b${i}`, { msgID: `m-${i}`, headers: h })).seq;
    await checkpointAt(a.checkpointName, last);
    await eventually(async () => ((await appliedCount()) === 40 ? true : undefined), "40 applied");
    expect(a.stats.processed + b.stats.processed).toBe(40);
    expect(new Set(handled).size).toBe(40);
  });

  it("forgets only dedupe records older than the cutoff", async () => {
    await sql`INSERT INTO processed_messages (consumer, message_id, stream_sequence, processed_at) VALUES
      ('c', 'old-1', 1, now() - interval '2 days'), ('c', 'old-2', 2, now() - interval '2 days'),
      ('c', 'new', 3, now())`.execute(s.db);
    expect(await deleteProcessedMessagesBefore(s.db, new Date(Date.now() - 86_400_000), 1)).toBe(1);
    expect(await deleteProcessedMessagesBefore(s.db, new Date(Date.now() - 86_400_000))).toBe(1);
    const { rows } = await sql<{ message_id: string }>`SELECT message_id FROM processed_messages`.execute(s.db);
    expect(rows).toEqual([{ message_id: "new" }]);
  });

  it("receives events from the relay exactly once, payload intact", async () => {
    const relay = startRelay({
      database: s.database.url,
      js: n.js,
      toMessage: jsonEventMessage((e) => n.subject(e.type)),
      pollIntervalMs: 10,
    });
    try {
      await start();
      for (let i = 1; i <= 5; i++) {
        await appendToStream(s.db, "loan-1", i - 1, [{ type: "Renewed", data: { count: i } }], { institution: "main" });
      }
      relay.wake();
      await eventually(async () => ((await appliedCount()) === 5 ? true : undefined), "5 applied");
      const { rows } = await sql<{ body: string }>`SELECT body FROM applied`.execute(s.db);
      const envelopes = rows.map((r) => JSON.parse(r.body) as JsonEventEnvelope);
      expect(envelopes.map((e) => [e.streamPosition, e.data, e.metadata])).toEqual(
        [1, 2, 3, 4, 5].map((i) => [i, { count: i }, { institution: "main" }]),
      );
    } finally {
      await relay.stop();
    }
  });

  it("is caught up only once every message the stream held when asked is applied", async () => {
    const consumer = await start({
      handle: async (msg, trx) => {
        await sleep(30);
        await sql`INSERT INTO applied (message_id, body) VALUES (${msg.headers?.get("Nats-Msg-Id") ?? ""}, ${msg.string()})`.execute(trx);
      },
    });
    for (let i = 0; i < 5; i++) await publish(`evt-${i}`);
    expect(await consumer.position.caughtUp(5_000)).toBe(true);
    expect(await appliedCount()).toBe(5);
    expect(await consumer.position.lag()).toBe(0);
  });

  it("is not caught up past the budget while a message waits to be applied", async () => {
    const { gate, release } = held();
    const consumer = await start({ handle: () => gate });
    await publish("evt-slow");
    expect(await consumer.position.caughtUp(150)).toBe(false);
    expect(await consumer.position.lag()).toBe(1);
    release();
    expect(await consumer.position.caughtUp(5_000)).toBe(true);
  });

  it("acknowledges the messages it does not want without a transaction, and is caught up past them", async () => {
    const consumer = await start({ wants: (msg) => msg.headers?.get("Nats-Msg-Id") !== "skip-me" });
    await publish("skip-me");
    const last = await publish("take-me");
    expect(await consumer.position.caughtUp(5_000)).toBe(true);
    expect(handled).toEqual(["take-me"]);
    expect(consumer.stats).toMatchObject({ processed: 1, skipped: 1 });
    await checkpointAt(consumer.checkpointName, last.seq);
  });

  it("keeps no dedupe records for a handler that changes nothing when given a message again", async () => {
    const consumer = await start({ dedupe: false, handle: async () => {} });
    const last = await publish("evt-idem");
    await checkpointAt(consumer.checkpointName, last.seq);
    const kept = await sql<{ n: number }>`SELECT count(*)::int AS n FROM processed_messages WHERE consumer = ${consumer.checkpointName}`.execute(s.db);
    expect(kept.rows[0]!.n).toBe(0);
    expect(consumer.stats.processed).toBe(1);
  });
  it("hands a handler that changes nothing when given a message again whole batches, in stream order", async () => {
    const batches: number[][] = [];
    const { gate, release } = held();
    const consumer = await start({
      dedupe: false,
      handle: async () => {
        throw new Error("handleBatch is given, so handle is not called");
      },
      handleBatch: async (msgs, trx) => {
        // The first batch holds its transaction until the rest have arrived.
        if (msgs[0]!.seq === 1) await gate;
        batches.push(msgs.map((m) => m.seq));
        for (const m of msgs) await sql`INSERT INTO applied (message_id, body) VALUES (${m.seq.toString()}, 'x')`.execute(trx);
      },
    });
    const last = await publishBehindTheFirst(release);
    await checkpointAt(consumer.checkpointName, last);
    expect(batches.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // What arrived while the first was held came together (how much of it arrived by then varies).
    expect(batches[0]).toEqual([1]);
    expect(Math.max(...batches.slice(1).map((b) => b.length))).toBeGreaterThan(1);
    expect(await appliedCount()).toBe(20);
  });

  it("refuses handleBatch on a consumer that keeps dedupe records", async () => {
    await expect(start({ handleBatch: async () => {} })).rejects.toThrow(/handleBatch needs dedupe: false/);
  });
});
