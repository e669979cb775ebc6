import { createTestDatabase, type TestDatabase } from "@circulate/testing";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../src/index.js";

describe("createPool", () => {
  let database: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new pg.Client({ connectionString: database.url });
    admin.on("error", () => {});
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  it("survives the server ending the session of a connection checked out by a transaction (57P01 between statements)", async () => {
    const errors: Error[] = [];
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => void crashes.push(err);
    process.on("uncaughtException", onCrash);
    const pool = createPool({ connectionString: database.url, max: 2, onError: (e) => errors.push(e) });
    const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
    try {
      const failed = await db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          // What a restart or failover does to the session, while the transaction waits on something else (a gRPC call).
          await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
          await new Promise((r) => setTimeout(r, 300));
          await sql`SELECT 1`.execute(trx);
        })
        .then(
          () => false,
          () => true,
        );
      expect(failed).toBe(true);
      expect(crashes).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      // The dead connection was dropped: the next query gets a fresh one.
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      expect(rows[0]!.one).toBe(1);
    } finally {
      process.off("uncaughtException", onCrash);
      await db.destroy();
    }
  });
});
