import { type Kysely, sql } from "kysely";

// Frozen in time: SQL only, never the service's table types or app code.

/**
 * SearchPatrons compares `lower(name) LIKE 'prefix%'` within one institution;
 * `text_pattern_ops` lets that prefix use the index whatever the database's
 * collation (a plain btree on text serves LIKE only under the C collation).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX patrons_name_prefix_idx ON patrons (institution_id, lower(name) text_pattern_ops)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX patrons_name_prefix_idx`.execute(db);
}
