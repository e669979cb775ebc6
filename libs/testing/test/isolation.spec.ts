import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createdAt, createTestDatabase, createTestNats, isStale, newRunId } from "../src/index.js";

describe("test isolation", () => {
  it("names carry their creation time so stale ones can be swept", () => {
    const id = newRunId(1_700_000_000_000);
    expect(createdAt(id)).toBe(1_700_000_000_000);
    expect(isStale(id, 1_700_000_000_000 + 2 * 3600_000)).toBe(true);
    expect(isStale(id, 1_700_000_000_000 + 60_000)).toBe(false);
    expect(isStale("orders", Date.now())).toBe(false);
  });

  it("gives each test its own real Postgres database and drops it", async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    await client.end();
    expect(rows[0]?.db).toBe(db.name);
    await db.drop();
    const other = await createTestDatabase();
    const admin = new pg.Client({ connectionString: other.url });
    await admin.connect();
    const gone = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [db.name]);
    await admin.end();
    await other.drop();
    expect(gone.rowCount).toBe(0);
  });

  const nats = createTestNats();
  afterAll(() => nats.cleanup());

  it("gives each test a private NATS subject prefix on a real server", async () => {
    const nc = await connect({ servers: nats.url });
    const sub = nc.subscribe(`${nats.subjectPrefix}.ping`, { max: 1 });
    nc.publish(`${nats.subjectPrefix}.ping`, "hello");
    for await (const m of sub) expect(m.string()).toBe("hello");
    await nc.close();
    expect(nats.subjectPrefix).not.toBe(createTestNats().subjectPrefix);
  });
});
