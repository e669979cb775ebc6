import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendToStream } from "../src/index.js";
import { CheckpointWatch } from "../src/relay-standby.js";
import { createStore, type StoreFixture } from "./support.js";

describe("a standby relay's checkpoint watch", () => {
  let s: StoreFixture;
  let client: pg.Client;
  let reads = 0;
  /** The relay's session, each statement counted. */
  const session = {
    query: ((...args: Parameters<pg.Client["query"]>) => {
      reads++;
      return client.query(...args);
    }) as pg.Client["query"],
  };
  const commit = (stream: string) => appendToStream(s.db, stream, "any", [{ type: "Ticked", data: {} }]);
  const checkpointAtNewest = () =>
    sql`INSERT INTO relay_checkpoints (name, commit_seq) SELECT 'r', max(commit_seq) FROM events
        ON CONFLICT (name) DO UPDATE SET commit_seq = excluded.commit_seq`.execute(s.db);

  beforeAll(async () => {
    s = await createStore(2);
    client = new pg.Client({ connectionString: s.database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await s?.close();
  });
  beforeEach(async () => {
    await s.reset();
    reads = 0;
  });

  it("answers a burst of waiting replies with a few shared reads, once the active relay's checkpoint reaches what was committed before them", async () => {
    await commit("a");
    const watch = new CheckpointWatch(session, "r", 20);
    const answers = Array.from({ length: 200 }, () => watch.reaches(5_000));
    let settled = 0;
    for (const a of answers) void a.then(() => settled++);
    await sleep(150);
    expect(settled).toBe(0);
    // One loop per reply read at least 200 times in this while.
    expect(reads).toBeLessThanOrEqual(12);
    await checkpointAtNewest();
    expect(await Promise.all(answers)).toEqual(answers.map(() => true));
  });

  it("keeps a reply asked after a newer commit waiting until the checkpoint reaches that commit", async () => {
    await commit("a");
    await checkpointAtNewest();
    const watch = new CheckpointWatch(session, "r", 20);
    expect(await watch.reaches(1_000)).toBe(true);
    await commit("b");
    const later = watch.reaches(5_000);
    let answered = false;
    void later.then(() => (answered = true));
    await sleep(100);
    expect(answered).toBe(false);
    await checkpointAtNewest();
    expect(await later).toBe(true);
  });

  it("answers false past the budget, and to every waiting reply at once when closed", async () => {
    await commit("a");
    const watch = new CheckpointWatch(session, "r", 20);
    const started = Date.now();
    expect(await watch.reaches(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    const waiting = [watch.reaches(10_000), watch.reaches(10_000)];
    await sleep(50);
    watch.close();
    expect(await Promise.all(waiting)).toEqual([false, false]);
    expect(await watch.reaches(10_000)).toBe(false);
  });
});
