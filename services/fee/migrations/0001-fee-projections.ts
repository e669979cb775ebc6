import { type Kysely, sql } from "kysely";

// Frozen in time: `Kysely<any>` and SQL only, never the app's table types.

/** Fee accounts, their charges (the 63/64 fine lists, GetAccount) and institutions' fee settings. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  // One row per account stream; `balance_minor` is the latest event's balance_after.
  await db.schema
    .createTable("fee_accounts")
    .addColumn("stream_id", "text", (c) => c.primaryKey())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("patron_barcode", "text", (c) => c.notNull())
    .addColumn("patron_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("balance_minor", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("fee_accounts_patron_key", ["institution_id", "patron_barcode"])
    .execute();
  await db.schema.createIndex("fee_accounts_patron_id_idx").on("fee_accounts").column("patron_id").execute();

  await db.schema
    .createTable("fee_charges")
    .addColumn("fee_id", "text", (c) => c.primaryKey())
    .addColumn("stream_id", "text", (c) => c.notNull())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("patron_barcode", "text", (c) => c.notNull())
    .addColumn("patron_id", "text", (c) => c.notNull().defaultTo(""))
    // SIP2 fee type code, "01".."09".
    .addColumn("fee_type", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("outstanding_minor", "bigint", (c) => c.notNull().check(sql`outstanding_minor >= 0`))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("item_institution_id", "text")
    .addColumn("item_barcode", "text")
    .addColumn("title", "text")
    .addColumn("loan_id", "text")
    .addColumn("source_id", "text")
    .addColumn("charged_at", "timestamptz", (c) => c.notNull())
    // Stream position of the FeeCharged event: oldest-first ties break in stream order, as the decider does.
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("fee_charges_stream_idx").on("fee_charges").columns(["stream_id", "charged_at", "position"]).execute();
  await db.schema.createIndex("fee_charges_loan_idx").on("fee_charges").column("loan_id").execute();

  // Admin data (UpsertInstitutions), not event-sourced: settings, not facts about patrons.
  await db.schema
    .createTable("fee_institutions")
    .addColumn("institution_id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("closed_weekdays", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("closed_dates", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["fee_institutions", "fee_charges", "fee_accounts"]) await db.schema.dropTable(table).ifExists().execute();
}
