import { type Kysely, sql } from "kysely";

// Frozen in time like 0001: `Kysely<any>` and SQL only.

// Payloads are proto3 JSON: a PatronRef or ItemRef under "patron"/"item", internal ids as "patronId"/"itemId".
const EVENT_INDEXES = [
  { name: "events_patron_barcode_idx", on: "payload->'patron'->>'barcode'", where: "patron" },
  { name: "events_patron_id_idx", on: "payload->>'patronId'", where: "patronId" },
  { name: "events_item_barcode_idx", on: "payload->'item'->>'barcode'", where: "item" },
  { name: "events_item_id_idx", on: "payload->>'itemId'", where: "itemId" },
] as const;

/**
 * The refused commands (`transaction_refusals`: what the kiosk was told and
 * why, kept for days where `idempotency` keeps outcomes for a week), and
 * expression indexes over what event payloads name, so one patron's or one
 * item's history is an index lookup, not a scan of the log.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("transaction_refusals")
    // CommandEnvelope.command_id: one row per refused command, however often it is repeated.
    .addColumn("command_id", "text", (c) => c.primaryKey())
    // When the refusal was recorded (with its outcome, in the same transaction); retention counts from it.
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // The command's case name, e.g. "checkOutItem".
    .addColumn("command_type", "text", (c) => c.notNull())
    // CommandEnvelope.terminal.account and .location; empty when the envelope had none.
    .addColumn("terminal_account", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("location", "text", (c) => c.notNull().defaultTo(""))
    // The patron the command named (institution, card barcode) and, when the outcome knew it, the internal id.
    .addColumn("patron_institution", "text")
    .addColumn("patron_barcode", "text")
    .addColumn("patron_id", "text")
    // The item the command named (institution, barcode) and its title when the outcome said it.
    .addColumn("item_institution", "text")
    .addColumn("item_barcode", "text")
    .addColumn("title", "text")
    // RefusalReason name ("REFUSAL_REASON_PATRON_BLOCKED").
    .addColumn("reason", "text", (c) => c.notNull())
    // The screen message the kiosk was given for that reason. Never a PIN, never the log detail.
    .addColumn("screen_message", "text", (c) => c.notNull())
    // The loan's due date when the refusal stated it (a renewal refused).
    .addColumn("due_at", "timestamptz")
    .execute();
  await sql`CREATE INDEX transaction_refusals_patron_idx ON transaction_refusals (patron_barcode, recorded_at DESC) WHERE patron_barcode IS NOT NULL`.execute(db);
  await sql`CREATE INDEX transaction_refusals_patron_id_idx ON transaction_refusals (patron_id, recorded_at DESC) WHERE patron_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX transaction_refusals_item_idx ON transaction_refusals (item_barcode, recorded_at DESC) WHERE item_barcode IS NOT NULL`.execute(db);
  await db.schema.createIndex("transaction_refusals_recorded_at_idx").on("transaction_refusals").column("recorded_at").execute();

  // IF NOT EXISTS: on a large events table an operator may build them first, CONCURRENTLY, under these names.
  // A concurrent build that failed or was cancelled leaves an invalid index behind: built again here.
  const invalid = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE NOT i.indisvalid AND c.relname IN (${sql.join(EVENT_INDEXES.map((i) => i.name))})`.execute(db);
  for (const { name } of invalid.rows) await sql`DROP INDEX ${sql.id(name)}`.execute(db);
  for (const { name, on, where } of EVENT_INDEXES) {
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(name)} ON events ((${sql.raw(on)})) WHERE payload ? ${sql.lit(where)}`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const { name } of EVENT_INDEXES) await db.schema.dropIndex(name).ifExists().execute();
  await db.schema.dropTable("transaction_refusals").ifExists().execute();
}
