import type { Kysely } from "kysely";

// Frozen in time: SQL only, never the service's table types or app code.

/**
 * `patron_loans.stream_id`: the loan service's stream (one per item) a loan
 * row is the copy of, so each loan event replaces or removes the item's row
 * whole. NULL for rows written before: they are found by loan id until an
 * event of their item rewrites them.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("patron_loans").addColumn("stream_id", "text").execute();
  await db.schema.createIndex("patron_loans_stream_idx").on("patron_loans").column("stream_id").unique().execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("patron_loans_stream_idx").execute();
  await db.schema.alterTable("patron_loans").dropColumn("stream_id").execute();
}
