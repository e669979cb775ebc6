/**
 * Append throughput: TRANSACTIONS single-event transactions (default 2,000) from
 * CONCURRENCY connections (default 8), each to its own stream (no optimistic
 * concurrency conflicts), in two shapes:
 *
 * - `append`: BEGIN; appendToStream; COMMIT.
 * - `handleCommand`: idempotency lookup, fold, decide, append, outcome insert, in one transaction.
 *
 * Every commit goes through the commit-order stamp (a short serialised section at
 * COMMIT that includes the WAL flush), so this measures what that costs on this
 * server. Prints the median of ROUNDS rounds (default 3) per shape.
 *
 * Uses a scratch database on BENCH_POSTGRES_URL (default: the local test server's
 * admin URL) that it creates and drops.
 *
 * Run: pnpm --filter @circulate/eventstore bench
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { appendToStream, type EventStoreDatabase, handleCommand, migrateEventStore } from "../src/index.js";

const TRANSACTIONS = Number(process.env.TRANSACTIONS ?? 2_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WARMUP = Math.min(200, TRANSACTIONS);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Shape = (db: Kysely<EventStoreDatabase>, key: string) => Promise<unknown>;

const shapes: Record<string, Shape> = {
  append: (db, key) =>
    db.transaction().execute((trx) => appendToStream(trx, `bench-${key}`, "no_stream", [{ type: "Ticked", data: { key } }])),
  handleCommand: (db, key) =>
    handleCommand(db, {
      commandId: `cmd-${key}`,
      streamId: `bench-${key}`,
      initialState: () => 0,
      evolve: (n: number) => n + 1,
      decide: (n: number) => ({ events: [{ type: "Ticked", data: { n } }], outcome: n }),
    }),
};

/** Runs `count` transactions from CONCURRENCY workers; returns transactions per second. */
async function run(db: Kysely<EventStoreDatabase>, shape: Shape, prefix: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) await shape(db, `${prefix}-${i}`);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const name = `eventstore_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client(ADMIN_URL);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: CONCURRENCY });
  pool.on("error", () => {});
  const db = new Kysely<EventStoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateEventStore(db);
    console.log(`${TRANSACTIONS} single-event transactions, ${CONCURRENCY} connections, median of ${ROUNDS} rounds`);
    for (const [label, shape] of Object.entries(shapes)) {
      await run(db, shape, `${label}-warmup`, WARMUP);
      const rates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await sql`TRUNCATE events, idempotency RESTART IDENTITY`.execute(db);
        await sql`CHECKPOINT`.execute(db).catch(() => {}); // needs superuser or pg_checkpoint; best effort
        rates.push(await run(db, shape, `${label}-${round}`, TRANSACTIONS));
      }
      const all = rates.map((r) => r.toFixed(0)).join(", ");
      console.log(`${label.padEnd(14)} ${median(rates).toFixed(0).padStart(6)} appends/s  (rounds: ${all})`);
    }
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
