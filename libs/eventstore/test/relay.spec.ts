import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  appendToStream,
  type Event,
  handleCommand,
  jsonEventMessage,
  type PublishedEvent,
  type Relay,
  type RelayOptions,
  startRelay,
} from "../src/index.js";
import {
  createJetStream,
  createStore,
  eventually,
  type NatsFixture,
  readAllMessages,
  type StoreFixture,
} from "./support.js";

type Ticked = Event<"Ticked", { n: number }>;
const tick = (n: number): Ticked => ({ type: "Ticked", data: { n } });

describe("relay", () => {
  let s: StoreFixture;
  let n: NatsFixture;
  let relays: Relay[];
  let errors: unknown[];

  beforeAll(async () => {
    s = await createStore(12);
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    [n] = await Promise.all([createJetStream(), s.reset()]);
    relays = [];
    errors = [];
  });
  afterEach(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await n.close();
  });

  function start(options: Partial<RelayOptions> = {}): Relay {
    const relay = startRelay({
      database: s.database.url,
      js: n.js,
      toMessage: jsonEventMessage((e) => n.subject(e.type)),
      pollIntervalMs: 10,
      errorBackoffMs: 20,
      standbyRetryMs: 20,
      onError: (e) => errors.push(e),
      ...options,
    });
    relays.push(relay);
    return relay;
  }

  const streamCount = async () => (await n.jsm.streams.info(n.stream)).state.messages;
  const published = (count: number) =>
    eventually(async () => ((await streamCount()) === count ? true : undefined), `${count} messages in the stream`);

  /** Event ids in commit order (the relay's order). */
  async function commitOrder(): Promise<string[]> {
    const { rows } = await sql<{ event_id: string }>`
      SELECT event_id FROM events WHERE commit_seq IS NOT NULL ORDER BY commit_seq`.execute(s.db);
    return rows.map((r) => r.event_id);
  }

  async function expectEachEventOnceInCommitOrder(): Promise<string[]> {
    const messages = await readAllMessages(n);
    const ids = messages.map((m) => m.msgId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await commitOrder());
    return ids;
  }

  const idsOf = (events: readonly { eventId: string }[]) => events.map((e) => e.eventId);

  it("publishes every event exactly once in commit order while many transactions commit concurrently and one is held open", async () => {
    start({ batchSize: 7 });
    const warm: string[] = [];
    for (let i = 0; i < 3; i++) warm.push(...idsOf((await appendToStream(s.db, `warm-${i}`, 0, [tick(i)])).events));
    await published(3);

    const held = await s.db.startTransaction().execute();
    let heldEvents: { eventId: string; globalPosition: bigint }[];
    let busy: { eventId: string; globalPosition: bigint }[];
    try {
      // `held` inserts first (lowest global positions of what follows) and commits last.
      heldEvents = (await appendToStream(held, "held-open", 0, [tick(100), tick(101)])).events;
      // 60 transactions commit while `held` is open, contending on 10 streams.
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          handleCommand(s.db, {
            commandId: `cmd-${i}`,
            streamId: `busy-${i % 10}`,
            initialState: () => 0,
            evolve: (x: number) => x + 1,
            decide: (x: number) => ({ events: [tick(x)], outcome: x }),
            maxAttempts: 100,
          }),
        ),
      );
      busy = results.flatMap((r) => r.events);
      // All 60 have committed, so all of them are published although `held`,
      // which inserted before them, is still open.
      await published(3 + 60);
      const whileOpen = (await readAllMessages(n)).map((m) => m.msgId);
      expect(whileOpen.slice(0, 3)).toEqual(warm);
      expect(new Set(whileOpen.slice(3))).toEqual(new Set(idsOf(busy)));
      await held.commit().execute();
    } catch (error) {
      await held.rollback().execute();
      throw error;
    }
    for (const e of busy) expect(e.globalPosition).toBeGreaterThan(heldEvents[1]!.globalPosition);
    // Transactions that commit one after another are published in that order.
    const sequential: string[] = [];
    for (let i = 0; i < 5; i++) sequential.push(...idsOf((await appendToStream(s.db, `later-${i}`, 0, [tick(i)])).events));

    await published(3 + 60 + 2 + 5);
    const ids = await expectEachEventOnceInCommitOrder();
    // `held` committed after the 60 and before the 5: it comes between them.
    expect(ids.slice(0, 3)).toEqual(warm);
    expect(ids.slice(63, 65)).toEqual(idsOf(heldEvents));
    expect(ids.slice(-5)).toEqual(sequential);
    // Within each stream, positions arrive in order (n+1 committed after n).
    const last = new Map<string, number>();
    for (const m of await readAllMessages(n)) {
      const { streamId, streamPosition } = JSON.parse(m.data) as { streamId: string; streamPosition: number };
      expect(streamPosition).toBe((last.get(streamId) ?? 0) + 1);
      last.set(streamId, streamPosition);
    }
    expect(errors).toEqual([]);
  });

  it("publishes transactions that commit in the reverse order of their inserts in commit order", async () => {
    const relay = start();
    // t3 inserts first and t1 last (t3 has the lowest global position)…
    const t3 = await s.db.startTransaction().execute();
    const t2 = await s.db.startTransaction().execute();
    const t1 = await s.db.startTransaction().execute();
    try {
      const [e3] = (await appendToStream(t3, "t3", 0, [tick(3)])).events;
      const [e2] = (await appendToStream(t2, "t2", 0, [tick(2)])).events;
      const [e1] = (await appendToStream(t1, "t1", 0, [tick(1)])).events;
      expect(e3!.globalPosition < e2!.globalPosition && e2!.globalPosition < e1!.globalPosition).toBe(true);
      // …and t1 commits first: it is published while t2 and t3 are still open.
      await t1.commit().execute();
      relay.wake();
      await published(1);
      await t2.commit().execute();
      await t3.commit().execute();
      relay.wake();
      await published(3);
      expect(await expectEachEventOnceInCommitOrder()).toEqual(idsOf([e1!, e2!, e3!]));
    } finally {
      for (const t of [t1, t2, t3]) if (!t.isCommitted && !t.isRolledBack) await t.rollback().execute();
    }
    expect(errors).toEqual([]);
  });

  it("gives each transaction's events consecutive commit sequence numbers in insertion order, even when many commit at once", async () => {
    start({ batchSize: 8 });
    const count = 10;
    let inserted = 0;
    let allInserted!: () => void;
    const barrier = new Promise<void>((resolve) => {
      allInserted = resolve;
    });
    // Each transaction appends 3 events to one stream and 2 to another, then
    // waits until all have inserted, so the commits race.
    const transactions = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        s.db.transaction().execute(async (trx) => {
          const a = await appendToStream(trx, `a-${i}`, 0, [tick(1), tick(2), tick(3)]);
          const b = await appendToStream(trx, `b-${i}`, 0, [tick(4), tick(5)]);
          if (++inserted === count) allInserted();
          await barrier;
          return idsOf([...a.events, ...b.events]);
        }),
      ),
    );
    const { rows } = await sql<{ event_id: string; commit_seq: string }>`
      SELECT event_id, commit_seq::text FROM events ORDER BY commit_seq`.execute(s.db);
    const seqOf = new Map(rows.map((r) => [r.event_id, BigInt(r.commit_seq)]));
    for (const ids of transactions) {
      const seqs = ids.map((id) => seqOf.get(id)!);
      expect(seqs).toEqual(seqs.map((_, k) => seqs[0]! + BigInt(k)));
    }
    await published(count * 5);
    const ids = await expectEachEventOnceInCommitOrder();
    // Each transaction's five events arrive together, in the order they were appended.
    const chunks = Array.from({ length: count }, (_, k) => ids.slice(k * 5, k * 5 + 5));
    expect(new Set(chunks.map((c) => c.join()))).toEqual(new Set(transactions.map((t) => t.join())));
    expect(errors).toEqual([]);
  });

  it("passes the commit-sequence gap left by a transaction that failed at commit after being stamped", async () => {
    const relay = start();
    const doomed = s.db.transaction().execute(async (trx) => {
      await appendToStream(trx, "doomed", 0, [tick(1)]);
      // A deferred unique check queued after the stamp fails at COMMIT, after
      // the stamp has taken commit_seq 1.
      await sql`CREATE TEMP TABLE commit_check (k int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP`.execute(trx);
      await sql`INSERT INTO commit_check VALUES (1), (1)`.execute(trx);
    });
    await expect(doomed).rejects.toMatchObject({ code: "23505" });
    const { rows } = await sql<{ last_value: string; is_called: boolean }>`
      SELECT last_value::text, is_called FROM events_commit_seq`.execute(s.db);
    expect(rows[0]).toEqual({ last_value: "1", is_called: true });

    const [after] = (await appendToStream(s.db, "after-gap", 0, [tick(2)])).events;
    relay.wake();
    await published(1);
    await eventually(async () => (relay.checkpoint?.commitSeq === 2n ? true : undefined), "checkpoint past the gap");
    expect((await readAllMessages(n)).map((m) => m.msgId)).toEqual([after!.eventId]);
    expect(errors).toEqual([]);
  });

  it("resumes after a relay dies mid-batch, losing nothing and storing nothing twice", async () => {
    for (let i = 0; i < 10; i++) {
      await appendToStream(s.db, `stream-${i % 3}`, "any", [tick(i), tick(i + 100)]);
    }
    const k = 4;
    let calls = 0;
    let crash!: (error: Error) => void;
    const frozen = new Promise<never>((_, reject) => {
      crash = reject;
    });
    const base = jsonEventMessage((e) => n.subject(e.type));
    const dying = start({ batchSize: 10, toMessage: (e) => (++calls > k ? frozen : base(e)) });
    await published(k);
    expect(dying.state).toBe("active");

    const batches: PublishedEvent[][] = [];
    const standby = start({ batchSize: 10, onPublished: (b) => batches.push([...b]) });
    await sleep(60);
    expect(standby.state).toBe("standby");

    // The first relay's process "dies" mid-batch, before its checkpoint: its
    // Postgres session ends and with it the advisory lock.
    await sql`SELECT pg_terminate_backend(pid) FROM pg_locks
              WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(s.db);
    await published(20);
    await eventually(async () => (standby.checkpoint?.commitSeq === 20n ? true : undefined), "final checkpoint");
    crash(new Error("process gone"));

    await expectEachEventOnceInCommitOrder();
    const republished = batches.flat();
    expect(republished.filter((p) => p.duplicate)).toHaveLength(k);
    expect(republished).toHaveLength(20);
  });

  it("retries from its checkpoint after a lost PubAck and JetStream drops the re-publish", async () => {
    for (let i = 0; i < 12; i++) await appendToStream(s.db, "lossy", i, [tick(i)]);
    let calls = 0;
    const acks: PublishedEvent[] = [];
    const relay = start({
      batchSize: 8,
      onPublished: (b) => acks.push(...b),
      js: {
        publish: async (...args: Parameters<typeof n.js.publish>) => {
          const ack = await n.js.publish(...args);
          if (++calls === 5) throw new Error("PubAck lost");
          return ack;
        },
      },
    });
    await published(12);
    await eventually(async () => (relay.checkpoint?.commitSeq === 12n ? true : undefined), "final checkpoint");
    await expectEachEventOnceInCommitOrder();
    expect(errors).toHaveLength(1);
    expect(acks.filter((a) => a.duplicate).map((a) => a.event.streamPosition)).toEqual([5]);
  });

  it("keeps commit order when a message is lost midway while the rest of its batch is in flight", async () => {
    for (let i = 0; i < 12; i++) await appendToStream(s.db, "lost", i, [tick(i)]);
    let calls = 0;
    const refused: string[] = [];
    const batches: number[][] = [];
    const relay = start({
      batchSize: 4,
      onPublished: (b) => batches.push(b.map((p) => p.event.streamPosition)),
      js: {
        publish: (...args: Parameters<typeof n.js.publish>) => {
          // The first batch, one at a time, tells where the stream ends; of the second, all in
          // flight at once, the second message never reaches the server and the two after it do.
          if (++calls === 6) return Promise.reject(new Error("connection lost"));
          return n.js.publish(...args).catch((error: Error) => {
            refused.push(error.message);
            throw error;
          });
        },
      },
    });
    await published(12);
    await eventually(async () => (relay.checkpoint?.commitSeq === 12n ? true : undefined), "final checkpoint");
    await expectEachEventOnceInCommitOrder();
    expect(refused).toHaveLength(2);
    expect(errors).toHaveLength(1);
    // The retry goes one at a time (the acks no longer say where the stream ends), then pipelining resumes.
    expect(batches).toEqual([[1, 2, 3, 4], [5], [6, 7, 8, 9], [10, 11, 12]]);
  });

  it("keeps one relay active per database and name; a standby takes over when it stops", async () => {
    const first = start();
    await eventually(async () => (first.state === "active" ? true : undefined), "first relay active");
    const second = start();
    await sleep(60);
    expect(second.state).toBe("standby");
    await first.stop();
    expect(first.state).toBe("stopped");
    await eventually(async () => (second.state === "active" ? true : undefined), "standby active");
    await appendToStream(s.db, "after-failover", 0, [tick(1)]);
    second.wake();
    await published(1);
  });

  it("says when everything committed before the call is on the stream", async () => {
    // A long poll interval: without the nudge the event would wait the whole interval.
    const relay = start({ pollIntervalMs: 60_000 });
    await eventually(async () => (relay.state === "active" ? true : undefined), "active relay");
    await s.db.transaction().execute((trx) => appendToStream(trx, "tick-1", 0, [tick(1), tick(2)]));
    expect(await relay.published(5_000)).toBe(true);
    expect(await streamCount()).toBe(2);
  });

  it("a standby says what was committed is published once the active relay's checkpoint reaches it", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const active = start({
      js: {
        publish: async (...args: Parameters<typeof n.js.publish>) => {
          await held;
          return n.js.publish(...args);
        },
      },
    });
    await eventually(async () => (active.state === "active" ? true : undefined), "active relay");
    const standby = start();
    // Nothing is committed yet: once its session is open, a standby says so at once.
    await eventually(async () => ((await standby.published(100)) ? true : undefined), "the standby's session");
    expect(standby.state).toBe("standby");
    await appendToStream(s.db, "waited", "no_stream", [tick(1)]);
    // The active relay cannot publish yet: the standby must not say it did.
    expect(await standby.published(100)).toBe(false);
    const answer = standby.published(5_000);
    release();
    expect(await answer).toBe(true);
    expect(await streamCount()).toBe(1);
  });
});
