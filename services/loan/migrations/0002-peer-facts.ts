import { type Kysely, sql } from "kysely";

/**
 * The loan service's copies of its peers' facts, kept by consumers of their
 * events (each event carries its item or hold as it is after the event):
 * - `peer_items`: every item, as the item service last described it;
 * - `peer_holds`: every hold, `active` until it is fulfilled, cancelled or expired.
 * Each row keeps the position of the event it is from in its stream, so an
 * older event arriving late never overwrites a newer one. Rebuildable from the
 * streams; never written by commands.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("peer_items")
    .addColumn("item_id", "text", (c) => c.primaryKey())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    // The item in the item contract's proto JSON shape.
    .addColumn("item", "jsonb", (c) => c.notNull())
    .addColumn("stream_position", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("peer_items_barcode").on("peer_items").columns(["barcode", "institution_id"]).execute();

  await db.schema
    .createTable("peer_holds")
    .addColumn("hold_id", "text", (c) => c.primaryKey())
    .addColumn("queue_institution_id", "text", (c) => c.notNull())
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull())
    // The hold in the hold contract's proto JSON shape.
    .addColumn("hold", "jsonb", (c) => c.notNull())
    .addColumn("stream_position", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("peer_holds_queue").on("peer_holds").columns(["queue_institution_id", "title_id"]).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("peer_holds").execute();
  await db.schema.dropTable("peer_items").execute();
}
