import { CamelCasePlugin, sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  aggregateStream,
  appendToStream,
  ConcurrencyError,
  readStream,
  readStreamVersion,
} from "../src/index.js";
import { type Counted, counted, createStore, type StoreFixture } from "./support.js";
import { blockedOnLock } from "@circulate/testing";


describe("appendToStream", () => {
  let s: StoreFixture;
  beforeAll(async () => {
    s = await createStore();
  });
  beforeEach(() => s.reset());
  afterAll(() => s.close());

  it("stores events at consecutive positions with their metadata", async () => {
    const first = await appendToStream(s.db, "counter-1", "no_stream", [counted(1), counted(2)], {
      institution: "main",
      correlationId: "corr-1",
      offline: true,
    });
    expect(first.nextExpectedVersion).toBe(2);
    const second = await appendToStream(s.db, "counter-1", 2, [{ ...counted(3), metadata: { causationId: "cmd-9" } }]);
    expect(second.events[0]).toMatchObject({ streamPosition: 3, metadata: { causationId: "cmd-9" } });

    const events = await readStream<Counted>(s.db, "counter-1");
    expect(events.map((e) => [e.streamPosition, e.data.by])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(events[0]?.metadata).toEqual({ institution: "main", correlationId: "corr-1", offline: true });
    expect(events[0]?.globalPosition).toBeLessThan(events[2]!.globalPosition);
    expect(await readStream(s.db, "counter-1", { from: 2, to: 2 })).toHaveLength(1);
    expect(await readStreamVersion(s.db, "counter-1")).toBe(3);
    expect(await readStreamVersion(s.db, "nothing")).toBe(0);

    const folded = await aggregateStream(s.db, "counter-1", (sum: number, e: Counted) => sum + e.data.by, () => 0);
    expect(folded).toEqual({ state: 6, version: 3, streamExists: true });
  });

  it("refuses a second append at the same expected version", async () => {
    await appendToStream(s.db, "counter-2", 0, [counted(1)]);
    const conflict = appendToStream(s.db, "counter-2", 0, [counted(1)]);
    await expect(conflict).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(conflict).rejects.toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    await expect(appendToStream(s.db, "counter-2", "no_stream", [counted(1)])).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(appendToStream(s.db, "counter-2", "any", [counted(1)])).resolves.toMatchObject({ nextExpectedVersion: 2 });
    expect(await readStreamVersion(s.db, "counter-2")).toBe(2);
  });

  it("lets only one of two concurrent transactions racing for the same position commit", async () => {
    const a = await s.db.startTransaction().execute();
    const b = await s.db.startTransaction().execute();
    try {
      await appendToStream(a, "counter-3", 0, [counted(1)]);
      // b read version 0 too; its insert waits on a's uncommitted row.
      // Settled into a value at once: it fails as soon as a commits, possibly before we await it.
      const racing = appendToStream(b, "counter-3", 0, [counted(2)]).then(
        () => undefined,
        (e: unknown) => e,
      );
      await blockedOnLock(s.database.url);
      await a.commit().execute();
      const error = await racing;
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect((error as ConcurrencyError).actualVersion).toBeUndefined();
    } finally {
      await b.rollback().execute();
    }
    const events = await readStream<Counted>(s.db, "counter-3");
    expect(events.map((e) => e.data.by)).toEqual([1]);
  });

  it("stamps commit order at commit: a transaction that wrote before the stream's last append commits after it", async () => {
    // `early` starts writing first, then another transaction appends position 1
    // and commits, then `early` appends position 2. Commit order (the relay's
    // order) keeps the stream in order although `early` inserted first.
    const early = await s.db.startTransaction().execute();
    try {
      await appendToStream(early, "elsewhere", "any", [counted(0)]);
      await appendToStream(s.db, "counter-4", 0, [counted(1)]);
      await appendToStream(early, "counter-4", 1, [counted(2), counted(3)]);
      const { rows: open } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM events WHERE commit_seq IS NULL`.execute(early);
      expect(open[0]?.n).toBe(3); // stamped only at COMMIT
      await early.commit().execute();
    } catch (error) {
      await early.rollback().execute();
      throw error;
    }
    const { rows } = await sql<{ stream_id: string; stream_position: number; commit_seq: string }>`
      SELECT stream_id, stream_position, commit_seq::text FROM events ORDER BY global_position`.execute(s.db);
    expect(rows).toEqual([
      { stream_id: "elsewhere", stream_position: 1, commit_seq: "2" },
      { stream_id: "counter-4", stream_position: 1, commit_seq: "1" },
      { stream_id: "counter-4", stream_position: 2, commit_seq: "3" },
      { stream_id: "counter-4", stream_position: 3, commit_seq: "4" },
    ]);
  });

  it("works through a Kysely instance that renames columns with CamelCasePlugin", async () => {
    const camel = s.db.withPlugin(new CamelCasePlugin());
    await appendToStream(camel, "counter-5", 0, [counted(7)]);
    const [event] = await readStream<Counted>(camel, "counter-5");
    expect(event).toMatchObject({ streamId: "counter-5", streamPosition: 1, data: { by: 7 } });
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(s.db);
    expect(rows[0]?.n).toBe(1);
  });
});
