import { type Kysely, sql } from "kysely";

/**
 * `peer_patrons`: each patron's display name, kept from the patron service's
 * events, for the hold patron a checkin names (SIP2 DA) without asking.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("peer_patrons")
    .addColumn("patron_id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("stream_position", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("peer_patrons").execute();
}
