import { type Kysely, sql } from "kysely";

/**
 * What the hold service keeps of its peers' facts, fed by their events, so it
 * decides without asking them: each copy as the item service's events last
 * described it (title, home branch, whether it may be lent) and whether the
 * loan service's events say it is on loan. Replaces `known_items`, a cache of
 * answers the item service gave. Self-contained on purpose: migrations never
 * import app code.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on any database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("items")
    .addColumn("item_id", "text", (c) => c.primaryKey())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    // The queue the copy belongs to: its bibliographic record id, else a one-copy title of its own.
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("home_location", "text")
    .addColumn("circulating", "boolean", (c) => c.notNull())
    // The protobuf ItemState name, e.g. "ITEM_STATE_AVAILABLE".
    .addColumn("state", "text", (c) => c.notNull())
    // Position of the last applied event in the item's stream: an older one delivered late changes nothing.
    .addColumn("stream_position", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("items_ref").on("items").columns(["barcode", "institution_id"]).unique().execute();
  await db.schema.createIndex("items_title").on("items").column("title_id").execute();

  // One row per loan stream (one copy) of the loan service.
  await db.schema
    .createTable("item_loans")
    .addColumn("stream_id", "text", (c) => c.primaryKey())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    .addColumn("on_loan", "boolean", (c) => c.notNull())
    .addColumn("loan_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("stream_position", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("item_loans_ref").on("item_loans").columns(["barcode", "institution_id"]).execute();

  await db.schema.dropTable("known_items").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations work on any database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("known_items")
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    .addColumn("item_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("home_location", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("known_items_pkey", ["institution_id", "barcode"])
    .execute();
  await db.schema.createIndex("known_items_title").on("known_items").column("title_id").execute();
  await db.schema.dropTable("item_loans").execute();
  await db.schema.dropTable("items").execute();
}
