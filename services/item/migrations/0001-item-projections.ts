import { type Kysely, sql } from "kysely";

// Frozen in time: SQL and `Kysely<any>` only, never the service's table types,
// so later code changes cannot alter what this migration does.

/** The item read model (GetItem, 17) and the traps that reached us before their check-in. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("items")
    .addColumn("item_id", "text", (c) => c.primaryKey())
    .addColumn("stream_id", "text", (c) => c.notNull().unique())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("item_type", "text", (c) => c.notNull())
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("magnetic_media", "boolean")
    .addColumn("security_marker", "text", (c) => c.notNull())
    .addColumn("permanent_location", "text", (c) => c.notNull())
    .addColumn("call_number", "text")
    .addColumn("collection_code", "text")
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("lending", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("circulation", "jsonb", (c) => c.notNull())
    .addColumn("current_institution_id", "text", (c) => c.notNull())
    .addColumn("current_location", "text", (c) => c.notNull())
    .addColumn("properties", "text")
    .addColumn("last_check_in_ids", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("items_institution_barcode_key", ["institution_id", "barcode"])
    .execute();
  // A kiosk of one consortium member scans another member's item: found by barcode alone.
  await db.schema.createIndex("items_barcode_idx").on("items").column("barcode").execute();

  await db.schema
    .createTable("item_pending_traps")
    .addColumn("item_id", "text", (c) => c.notNull())
    .addColumn("check_in_id", "text", (c) => c.notNull())
    .addColumn("hold_id", "text", (c) => c.notNull())
    .addColumn("pickup_institution_id", "text", (c) => c.notNull())
    .addColumn("pickup_location", "text", (c) => c.notNull())
    .addColumn("in_transit", "boolean", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("item_pending_traps_pkey", ["item_id", "check_in_id"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("item_pending_traps").execute();
  await db.schema.dropTable("items").execute();
}
