import { type Kysely, sql } from "kysely";

// Frozen in time: SQL and `Kysely<any>` only, never the service's table types,
// so later code changes cannot alter what this migration does.

/**
 * What 17 needs of the loan and hold services, kept from their events so it is
 * answered without asking them:
 * - `item_peer_streams`: the last position applied of every peer stream, so an
 *   event at or below it (a redelivery) changes nothing;
 * - `item_loans`: the open loan of each item (the row goes when the loan ends);
 * - `item_holds`: active holds (the row goes when the hold closes), by the
 *   queue they are in (institution and title), for queue lengths and trapped copies.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("item_peer_streams")
    .addColumn("service", "text", (c) => c.notNull())
    .addColumn("stream_id", "text", (c) => c.notNull())
    .addColumn("position", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("item_peer_streams_pkey", ["service", "stream_id"])
    .execute();

  await db.schema
    .createTable("item_loans")
    .addColumn("item_id", "text", (c) => c.primaryKey())
    .addColumn("loan_id", "text", (c) => c.notNull())
    .addColumn("patron_id", "text", (c) => c.notNull())
    .addColumn("patron_institution_id", "text", (c) => c.notNull())
    .addColumn("patron_barcode", "text", (c) => c.notNull())
    .addColumn("checked_out_at", "timestamptz")
    .addColumn("due_at", "timestamptz")
    .addColumn("renewal_count", "integer", (c) => c.notNull())
    .addColumn("recalled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("item_holds")
    .addColumn("hold_id", "text", (c) => c.primaryKey())
    .addColumn("queue_institution_id", "text", (c) => c.notNull())
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("patron_id", "text", (c) => c.notNull())
    // waiting, in_transit or available (closed holds are deleted)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("trapped_item_institution_id", "text")
    .addColumn("trapped_item_barcode", "text")
    .addColumn("pickup_location", "text", (c) => c.notNull())
    .addColumn("pickup_by", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("item_holds_queue_idx").on("item_holds").columns(["queue_institution_id", "title_id"]).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("item_holds").execute();
  await db.schema.dropTable("item_loans").execute();
  await db.schema.dropTable("item_peer_streams").execute();
}
