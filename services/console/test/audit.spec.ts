import { createTestDatabase, type TestDatabase } from "@circulate/testing";
import { migrateDatabase } from "@circulate/eventstore";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleMigrations } from "#migrations";
import { AuditLog } from "../src/audit.js";
import type { ConsoleDatabase } from "../src/db.js";

describe("the audit log", () => {
  let database: TestDatabase;
  let db: Kysely<ConsoleDatabase>;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 8 }) }) });
    await migrateDatabase(db, consoleMigrations);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("records every event of one person's requests that run at once (a sign-out while their import ends), in one gapless stream", async () => {
    let committed = 0;
    const audit = new AuditLog(db, () => committed++);
    const n = 24;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        audit.record({ type: "StaffActionTaken", data: { staff: "ada", role: "administrator", action: "fee.waive", target: `fee ${i}`, result: "done" } }),
      ),
    );
    const rows = await db.selectFrom("events").select(["stream_position", "payload"]).where("stream_id", "=", "staff-ada").orderBy("stream_position").execute();
    expect(rows.map((r) => r.stream_position)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => (r.payload as { target: string }).target)).size).toBe(n);
    expect(committed).toBe(n);
  });

  it("records the events of two writers of one stream at once (the console and the add-staff command)", async () => {
    const console = new AuditLog(db);
    const command = new AuditLog(db);
    const event = () => ({ type: "StaffLoggedOut" as const, data: { staff: "bob", role: "viewer" as const } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? console : command).record(event())));
    const rows = await db.selectFrom("events").select("stream_position").where("stream_id", "=", "staff-bob").orderBy("stream_position").execute();
    expect(rows.map((r) => r.stream_position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
