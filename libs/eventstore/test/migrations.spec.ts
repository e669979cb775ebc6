import { createTestDatabase } from "@circulate/testing";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { expect, it } from "vitest";
import { appendToStream, type EventStoreDatabase, eventStoreMigrations, migrateDatabase } from "../src/index.js";
import { EVENT_STORE_MIGRATION_LOCK_TABLE, EVENT_STORE_MIGRATION_TABLE } from "../src/migrations/index.js";

it("migrates idempotently and runs service migrations after the event store's, in their own table", async () => {
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => {});
  const db = new Kysely<EventStoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    const serviceMigrations = {
      // Depends on the event-store tables, so it must run after them.
      "0001_event_counts": {
        up: async (m: Kysely<EventStoreDatabase>) =>
          void (await sql`CREATE VIEW event_counts AS SELECT type, count(*) AS n FROM events GROUP BY type`.execute(m)),
      },
    };
    const first = await migrateDatabase(db, serviceMigrations);
    expect(first.eventStore.results?.map((r) => r.migrationName)).toEqual(Object.keys(eventStoreMigrations));
    expect(first.service.results?.map((r) => r.migrationName)).toEqual(["0001_event_counts"]);
    const again = await migrateDatabase(db, serviceMigrations);
    expect([again.eventStore.results, again.service.results]).toEqual([[], []]);

    await appendToStream(db, "s-1", "no_stream", [{ type: "Happened", data: {} }]);
    const { rows } = await sql<{ type: string; n: string }>`SELECT type, n FROM event_counts`.execute(db);
    expect(rows).toEqual([{ type: "Happened", n: "1" }]);
  } finally {
    await db.destroy();
    await database.drop();
  }
});

it("takes the history indexes an operator built beforehand, concurrently, on a table that already held events, and builds again one left invalid", async () => {
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => {});
  const db = new Kysely<EventStoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  const [first, ...rest] = Object.keys(eventStoreMigrations).sort();
  const migrator = (names: string[]) =>
    new Migrator({
      db,
      migrationTableName: EVENT_STORE_MIGRATION_TABLE,
      migrationLockTableName: EVENT_STORE_MIGRATION_LOCK_TABLE,
      provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, eventStoreMigrations[n]!])) },
    });
  try {
    expect((await migrator([first!]).migrateToLatest()).error).toBeUndefined();
    await appendToStream(db, "loan-1", "no_stream", [{ type: "ItemCheckedOut", data: { patron: { institutionId: "MAIN", barcode: "P1" } } }]);
    await sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS events_patron_barcode_idx ON events ((payload->'patron'->>'barcode')) WHERE payload ? 'patron'`.execute(db);
    // What a cancelled or failed concurrent build leaves: an index marked invalid (here by hand, as Postgres would).
    await sql`CREATE INDEX CONCURRENTLY events_item_id_idx ON events ((payload->>'itemId')) WHERE payload ? 'itemId'`.execute(db);
    await sql`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'events_item_id_idx'::regclass`.execute(db);
    const upgraded = await migrateDatabase(db);
    expect(upgraded.eventStore.results?.map((r) => [r.migrationName, r.status])).toEqual(rest.map((n) => [n, "Success"]));
    const { rows } = await sql<{ name: string; valid: boolean }>`
      SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname IN ('events_patron_barcode_idx', 'events_patron_id_idx', 'events_item_barcode_idx', 'events_item_id_idx') ORDER BY 1`.execute(db);
    expect(rows).toEqual(["events_item_barcode_idx", "events_item_id_idx", "events_patron_barcode_idx", "events_patron_id_idx"].map((name) => ({ name, valid: true })));
  } finally {
    await db.destroy();
    await database.drop();
  }
});
