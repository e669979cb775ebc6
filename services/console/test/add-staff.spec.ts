import { Readable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "@circulate/testing";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStaff } from "../src/add-staff.js";
import type { ConsoleDatabase } from "../src/db.js";
import { verifyPassword } from "../src/passwords.js";

function io(database: TestDatabase, stdin: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdin: Readable.from([stdin]),
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: { CONSOLE_POSTGRES_URL: database.url, CREATE_DATABASES: "false" },
    },
    out,
    err,
  };
}

describe("add-staff", () => {
  let database: TestDatabase;
  let db: Kysely<ConsoleDatabase>;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("creates the first administrator with the password read from stdin, hashed, and records who made it", async () => {
    const run = io(database, "first-admin-password-42\n");
    expect(await addStaff(["root.admin"], run.io)).toBe(0);
    expect(run.out.join("")).toBe("staff account root.admin (administrator) created\n");
    const row = await db.selectFrom("staff").selectAll().where("name", "=", "root.admin").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: "administrator", active: true });
    expect(await verifyPassword("first-admin-password-42", row.password_hash)).toBe(true);
    const events = await db.selectFrom("events").select(["type", "payload"]).execute();
    expect(events).toEqual([
      { type: "StaffActionTaken", payload: { staff: "(add-staff command)", role: "", action: "staff.create", target: "staff root.admin as administrator", result: "done" } },
    ]);
  });

  it("refuses a password on the command line, a short password, a bad role and an existing name", async () => {
    const argv = io(database, "long-enough-password\n");
    expect(await addStaff(["x", "--password", "secret"], argv.io)).toBe(2);
    expect(argv.err.join("")).toContain("usage: add-staff");
    const short = io(database, "short\n");
    expect(await addStaff(["someone"], short.io)).toBe(2);
    expect(short.err.join("")).toContain("at least 12 characters");
    const role = io(database, "long-enough-password\n");
    expect(await addStaff(["someone", "--role", "root"], role.io)).toBe(2);
    const again = io(database, "long-enough-password\n");
    expect(await addStaff(["root.admin"], again.io)).toBe(1);
    expect(again.err.join("")).toContain("exists");
    expect(await db.selectFrom("staff").select("name").execute()).toEqual([{ name: "root.admin" }]);
  });
});
