import { type Kysely, sql } from "kysely";

// Frozen in time: SQL only, never the service's table types or app code.

/**
 * What the patron service keeps of the loan, fee and hold services' events, so
 * 23, 63, 01, 25 and VerifyPatron decide without asking them:
 * - `patron_peer_streams`: the last position applied of every peer stream, so
 *   an event at or below it (a redelivery) changes nothing;
 * - `patron_loans`: open loans (rows go when the loan ends);
 * - `patron_fee_accounts` / `patron_fee_charges`: balances and charges;
 * - `patron_holds`: active holds, the contract's Hold as JSON (rows go when
 *   the hold closes); queue positions are counted at read time.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("patron_peer_streams")
    .addColumn("service", "text", (c) => c.notNull())
    .addColumn("stream_id", "text", (c) => c.notNull())
    .addColumn("position", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("patron_peer_streams_pkey", ["service", "stream_id"])
    .execute();

  await db.schema
    .createTable("patron_loans")
    .addColumn("loan_id", "text", (c) => c.primaryKey())
    .addColumn("patron_id", "text", (c) => c.notNull())
    .addColumn("item_institution_id", "text", (c) => c.notNull())
    .addColumn("item_barcode", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("checked_out_at", "timestamptz")
    .addColumn("due_at", "timestamptz")
    .addColumn("recalled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("patron_loans_patron_idx").on("patron_loans").column("patron_id").execute();

  await db.schema
    .createTable("patron_fee_accounts")
    .addColumn("stream_id", "text", (c) => c.primaryKey())
    .addColumn("patron_id", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("balance_minor", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("patron_fee_accounts_patron_idx").on("patron_fee_accounts").column("patron_id").execute();

  await db.schema
    .createTable("patron_fee_charges")
    .addColumn("fee_id", "text", (c) => c.primaryKey())
    .addColumn("stream_id", "text", (c) => c.notNull())
    .addColumn("patron_id", "text", (c) => c.notNull())
    // library.common.v1.FeeType, by name (FEE_TYPE_OVERDUE)
    .addColumn("fee_type", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("outstanding_minor", "bigint", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("item_institution_id", "text")
    .addColumn("item_barcode", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("loan_id", "text", (c) => c.notNull())
    .addColumn("charged_at", "timestamptz", (c) => c.notNull())
    // Position in the account's stream: orders charges of the same instant.
    .addColumn("position", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("patron_fee_charges_patron_idx").on("patron_fee_charges").column("patron_id").execute();

  await db.schema
    .createTable("patron_holds")
    .addColumn("hold_id", "text", (c) => c.primaryKey())
    .addColumn("patron_id", "text", (c) => c.notNull())
    // The hold service's queue stream: holds of one queue share it.
    .addColumn("queue_stream_id", "text", (c) => c.notNull())
    .addColumn("placed_at", "timestamptz", (c) => c.notNull())
    // Position of the first event seen for the hold in its queue stream: breaks ties of placed_at as the queue does.
    .addColumn("placed_seq", "bigint", (c) => c.notNull())
    // library.hold.v1.HoldStatus, by name (HOLD_STATUS_WAITING)
    .addColumn("status", "text", (c) => c.notNull())
    // library.hold.v1.Hold in proto3 JSON, as of the last event.
    .addColumn("hold", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("patron_holds_patron_idx").on("patron_holds").column("patron_id").execute();
  await db.schema.createIndex("patron_holds_queue_idx").on("patron_holds").columns(["queue_stream_id", "placed_at", "placed_seq"]).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("patron_holds").execute();
  await db.schema.dropTable("patron_fee_charges").execute();
  await db.schema.dropTable("patron_fee_accounts").execute();
  await db.schema.dropTable("patron_loans").execute();
  await db.schema.dropTable("patron_peer_streams").execute();
}
