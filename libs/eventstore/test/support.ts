import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { type Event, type EventStoreDatabase, ensureStream, migrateEventStore } from "../src/index.js";

/** The appends' test event: a counter moved by `by`. */
export type Counted = Event<"Counted", { by: number }>;
export const counted = (by: number): Counted => ({ type: "Counted", data: { by } });

export interface StoreFixture {
  database: TestDatabase;
  db: Kysely<EventStoreDatabase>;
  /** Empties the event-store tables (and `extra` tables) and restarts positions: a clean slate per test. */
  reset(...extra: string[]): Promise<void>;
  close(): Promise<void>;
}

const TABLES = ["events", "idempotency", "relay_checkpoints", "consumer_checkpoints", "processed_messages"];

/** A fresh, migrated database (one per test file; `reset` between tests). Pools stay small: other suites share the server. */
export async function createStore(max = 8): Promise<StoreFixture> {
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max });
  // Dropping the database terminates connections that are still closing; an
  // idle client's error is re-emitted on the pool, which must not throw.
  pool.on("error", () => {});
  const db = new Kysely<EventStoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  await migrateEventStore(db);
  return {
    database,
    db,
    reset: async (...extra) => {
      const tables = [...TABLES, ...extra].map((t) => sql.table(t));
      await sql`TRUNCATE ${sql.join(tables)} RESTART IDENTITY`.execute(db);
    },
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
}

export interface NatsFixture {
  nats: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  /** Subject of an event type under this test's private prefix. */
  subject(type: string): string;
  close(): Promise<void>;
}

/** A private JetStream stream for `<prefix>.evt.>`. */
export async function createJetStream(duplicateWindowMs = 120_000): Promise<NatsFixture> {
  const nats = createTestNats();
  const nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  const stream = `${nats.streamPrefix}_EVENTS`;
  await ensureStream(jsm, { name: stream, subjects: [`${nats.subjectPrefix}.evt.>`], duplicateWindowMs });
  return {
    nats,
    nc,
    js: jetstream(nc),
    jsm,
    stream,
    subject: (type) => `${nats.subjectPrefix}.evt.test.${type}`,
    close: async () => {
      await nc.close();
      await nats.cleanup();
    },
  };
}

export interface StoredMessage {
  seq: number;
  msgId: string;
  subject: string;
  data: string;
}

/** Every message in the stream, in stream order, read with an ordered consumer. */
export async function readAllMessages(f: NatsFixture): Promise<StoredMessage[]> {
  const info = await f.jsm.streams.info(f.stream);
  if (info.state.messages === 0) return [];
  const consumer = await f.js.consumers.get(f.stream);
  const iter = await consumer.consume();
  const out: StoredMessage[] = [];
  for await (const m of iter) {
    out.push({ seq: m.seq, msgId: m.headers?.get("Nats-Msg-Id") ?? "", subject: m.subject, data: m.string() });
    if (m.seq >= info.state.last_seq) break;
  }
  await iter.close();
  return out;
}

/** Polls `check` until it returns a value that is not undefined, or fails at the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

