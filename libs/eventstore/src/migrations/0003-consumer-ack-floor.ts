import { type Kysely, sql } from "kysely";

// Frozen in time like 0001: `Kysely<any>` and SQL only.

/**
 * Where a durable consumer made anew may resume, and so which dedupe records
 * may go. `ack_floor`: the highest stream sequence at or below which JetStream
 * had every message acknowledged (applied and committed, or not wanted), as
 * last read from the server; 0 = unknown, resume at the stream's start.
 * `stream_created`: the creation time of the stream that floor belongs to, so
 * a stream made again (numbering from 1) is told apart.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE consumer_checkpoints ADD COLUMN ack_floor bigint NOT NULL DEFAULT 0, ADD COLUMN stream_created text`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE consumer_checkpoints DROP COLUMN IF EXISTS ack_floor, DROP COLUMN IF EXISTS stream_created`.execute(db);
}
