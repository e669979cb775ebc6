import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ConcurrencyError,
  DeadlineExceededError,
  deleteExpiredIdempotencyRecords,
  type Event,
  type EventStoreDatabase,
  handleCommand,
  type InlineProjection,
  readStream,
  withIdempotency,
} from "../src/index.js";
import { createStore, type StoreFixture } from "./support.js";

type Deposited = Event<"Deposited", { amount: number }>;
type Refused = { status: "refused"; reason: "limit_reached" };
type Accepted = { status: "accepted"; balance: number };

const LIMIT = 100;

/** A tiny decider: deposits up to a limit, refusal as data. */
function deposit(commandId: string, amount: number, streamId = "account-1") {
  return {
    commandId,
    streamId,
    initialState: () => 0,
    evolve: (balance: number, e: Deposited) => balance + e.data.amount,
    decide: (balance: number): { events: Deposited[]; outcome: Accepted | Refused } =>
      balance + amount > LIMIT
        ? { events: [], outcome: { status: "refused", reason: "limit_reached" } }
        : { events: [{ type: "Deposited", data: { amount } }], outcome: { status: "accepted", balance: balance + amount } },
  };
}

/** Inline projection into a table created by the test. */
const projectBalance: InlineProjection<EventStoreDatabase, Deposited> = async (trx, events) => {
  for (const e of events) {
    await sql`INSERT INTO balances (stream_id, balance) VALUES (${e.streamId}, ${e.data.amount})
              ON CONFLICT (stream_id) DO UPDATE SET balance = balances.balance + excluded.balance`.execute(trx);
  }
};

async function count(s: StoreFixture, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(s.db);
  return rows[0]!.n;
}

describe("handleCommand", () => {
  let s: StoreFixture;
  beforeAll(async () => {
    s = await createStore();
    await sql`CREATE TABLE balances (stream_id text PRIMARY KEY, balance int NOT NULL)`.execute(s.db);
  });
  beforeEach(() => s.reset("balances"));
  afterAll(() => s.close());

  it("applies the same command id once and returns the same outcome again", async () => {
    const first = await handleCommand(s.db, { ...deposit("cmd-1", 30), projections: [projectBalance] });
    const again = await handleCommand(s.db, { ...deposit("cmd-1", 30), projections: [projectBalance] });
    expect(first).toMatchObject({ replayed: false, outcome: { status: "accepted", balance: 30 }, version: 1 });
    expect(again).toMatchObject({ replayed: true, events: [] });
    expect(again.outcome).toEqual(first.outcome);
    expect(await readStream(s.db, "account-1")).toHaveLength(1);
    const { rows } = await sql<{ balance: number }>`SELECT balance FROM balances`.execute(s.db);
    expect(rows).toEqual([{ balance: 30 }]);
  });

  it("records a refusal as the outcome and replays it without appending", async () => {
    await handleCommand(s.db, deposit("cmd-a", 90));
    const refused = await handleCommand(s.db, deposit("cmd-b", 20));
    expect(refused).toMatchObject({ replayed: false, outcome: { status: "refused", reason: "limit_reached" }, events: [] });
    // Even after room appears, the refused command id keeps its refusal.
    await sql`DELETE FROM events`.execute(s.db);
    expect(await handleCommand(s.db, deposit("cmd-b", 20))).toMatchObject({ replayed: true, outcome: refused.outcome });
  });

  it("applies concurrent duplicates of one command once", async () => {
    // Each attempt writes to a fresh stream, so only the idempotency record
    // (not a stream conflict) can stop the duplicates.
    const results = await Promise.all(
      Array.from({ length: 6 }, () => handleCommand(s.db, deposit("cmd-dup", 5, `account-${randomUUID()}`))),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.outcome))).size).toBe(1);
    expect(await count(s, "events")).toBe(1);
  });

  it("retries concurrent commands on one stream until each applies in its own position", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handleCommand(s.db, { ...deposit(`cmd-${i}`, 10), projections: [projectBalance], maxAttempts: 50 }),
      ),
    );
    expect(results.every((r) => r.outcome.status === "accepted")).toBe(true);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    const events = await readStream<Deposited>(s.db, "account-1");
    expect(events.map((e) => e.streamPosition)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const { rows } = await sql<{ balance: number }>`SELECT balance FROM balances`.execute(s.db);
    expect(rows).toEqual([{ balance: 80 }]);
  });

  it("drops a command past its deadline unapplied", async () => {
    const deadline = new Date(Date.now() - 1);
    await expect(handleCommand(s.db, { ...deposit("cmd-late", 5), deadline })).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await count(s, "events")).toBe(0);
    expect(await count(s, "idempotency")).toBe(0);
  });

  it("rolls back the append and the outcome when a projection fails", async () => {
    const failing = async () => {
      throw new Error("projection broke");
    };
    await expect(handleCommand(s.db, { ...deposit("cmd-x", 5), projections: [projectBalance, failing] })).rejects.toThrow(
      "projection broke",
    );
    expect([await count(s, "events"), await count(s, "idempotency"), await count(s, "balances")]).toEqual([0, 0, 0]);
    // The redelivered command then applies normally.
    expect(await handleCommand(s.db, deposit("cmd-x", 5))).toMatchObject({ replayed: false });
  });

  it("deletes only idempotency records whose retention has passed", async () => {
    const work = async (_trx: Transaction<EventStoreDatabase>) => "done";
    await withIdempotency(s.db, { commandId: "old", retentionMs: 1 }, work);
    await withIdempotency(s.db, { commandId: "new", retentionMs: 60_000 }, work);
    expect(await deleteExpiredIdempotencyRecords(s.db, new Date(Date.now() + 1_000))).toBe(1);
    const { rows } = await sql<{ command_id: string }>`SELECT command_id FROM idempotency`.execute(s.db);
    expect(rows).toEqual([{ command_id: "new" }]);
  });

  it("replays the outcome an earlier attempt of the same command recorded, even when this attempt ran out of retries", async () => {
    const commandId = `cmd-${randomUUID()}`;
    // The attempt keeps losing to a writer that turns out to be another attempt of this command, which commits.
    const result = await withIdempotency(s.db, { commandId, maxAttempts: 1 }, async () => {
      await sql`INSERT INTO idempotency (command_id, outcome, expires_at) VALUES (${commandId}, ${JSON.stringify({ status: "accepted", balance: 7 })}, now() + interval '1 day')`.execute(s.db);
      throw new ConcurrencyError("account-1", 0, 1);
    });
    expect(result).toMatchObject({ outcome: { status: "accepted", balance: 7 }, replayed: true });
  });
});
