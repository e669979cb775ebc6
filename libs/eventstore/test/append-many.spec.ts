import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendToStream, appendToStreams, ConcurrencyError, type Event, readStream, readStreams } from "../src/index.js";
import { type Counted, counted, createStore, type StoreFixture } from "./support.js";
import { blockedOnLock } from "@circulate/testing";

const byOf = (events: readonly Event[]) => events.map((e) => (e as Counted).data.by);

describe("appendToStreams and readStreams", () => {
  let s: StoreFixture;
  beforeAll(async () => {
    s = await createStore();
  });
  beforeEach(() => s.reset());
  afterAll(() => s.close());

  it("appends to new and existing streams in one statement, each after its version, in the order given", async () => {
    await appendToStream(s.db, "b", "no_stream", [counted(1)]);
    const recorded = await appendToStreams(s.db, [
      { streamId: "a", expectedVersion: 0, events: [counted(10), counted(11)], metadata: { correlationId: "c-1" } },
      { streamId: "b", expectedVersion: 1, events: [counted(2)] },
      { streamId: "c", expectedVersion: 0, events: [] },
    ]);
    expect(recorded.map((r) => r.map((e) => [e.streamId, e.streamPosition]))).toEqual([
      [
        ["a", 1],
        ["a", 2],
      ],
      [["b", 2]],
      [],
    ]);
    expect(recorded[0]![0]!.metadata).toEqual({ correlationId: "c-1" });
    const streams = await readStreams(s.db, ["a", "b", "c"]);
    expect([...streams].map(([id, events]) => [id, byOf(events)])).toEqual([
      ["a", [10, 11]],
      ["b", [1, 2]],
      ["c", []],
    ]);
    // Commit order follows the order given: the relay publishes a's events before b's.
    const { rows } = await sql<{ stream_id: string; stream_position: number }>`
      SELECT stream_id, stream_position FROM events ORDER BY commit_seq`.execute(s.db);
    expect(rows.map((r) => `${r.stream_id}${r.stream_position}`)).toEqual(["b1", "a1", "a2", "b2"]);
  });

  it("inserts nothing when any stream moved since it was read, and names it", async () => {
    await appendToStream(s.db, "moved", "no_stream", [counted(1), counted(2)]);
    const error = await appendToStreams(s.db, [
      { streamId: "fresh", expectedVersion: 0, events: [counted(1)] },
      { streamId: "moved", expectedVersion: 1, events: [counted(3)] },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ streamId: "moved", actualVersion: 2 });
    expect(await readStream(s.db, "fresh")).toEqual([]);
    expect(byOf(await readStream(s.db, "moved"))).toEqual([1, 2]);
  });

  it("fails on a concurrent writer of the same position once it commits", async () => {
    const a = await s.db.startTransaction().execute();
    try {
      await appendToStream(a, "raced", 0, [counted(1)]);
      const racing = appendToStreams(s.db, [
        { streamId: "other", expectedVersion: 0, events: [counted(7)] },
        { streamId: "raced", expectedVersion: 0, events: [counted(2)] },
      ]).then(
        () => undefined,
        (e: unknown) => e,
      );
      await blockedOnLock(s.database.url);
      await a.commit().execute();
      const error = await racing;
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ streamId: "raced" });
    } finally {
      await a.rollback().execute().catch(() => {});
    }
    expect(byOf(await readStream(s.db, "raced"))).toEqual([1]);
    expect(await readStream(s.db, "other")).toEqual([]);
  });

  it("refuses a stream named twice", async () => {
    await expect(
      appendToStreams(s.db, [
        { streamId: "x", expectedVersion: 0, events: [counted(1)] },
        { streamId: "x", expectedVersion: 1, events: [counted(2)] },
      ]),
    ).rejects.toThrow(/appears twice/);
    expect(await readStream(s.db, "x")).toEqual([]);
  });
});
