import { type Kysely, sql } from "kysely";

/**
 * The loan service's own tables besides the event store:
 * - `loans`: one row per current loan, the read model of the item streams
 *   (written in the appending transaction; rebuildable from the events);
 * - `loan_rules`, `institutions`, `calendars`: configuration loaded through
 *   the admin RPCs (UpsertLoanRules, UpsertInstitutions, UpsertCalendar).
 * Self-contained on purpose: migrations never import app code.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("loans")
    .addColumn("stream_id", "text", (c) => c.primaryKey())
    .addColumn("loan_id", "text", (c) => c.notNull().unique())
    .addColumn("item_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("item_institution_id", "text", (c) => c.notNull())
    .addColumn("item_barcode", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("title_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("patron_id", "text", (c) => c.notNull())
    .addColumn("patron_institution_id", "text", (c) => c.notNull())
    .addColumn("patron_barcode", "text", (c) => c.notNull())
    .addColumn("checked_out_at", "timestamptz", (c) => c.notNull())
    .addColumn("due_at", "timestamptz", (c) => c.notNull())
    .addColumn("renewal_count", "integer", (c) => c.notNull())
    // NULL = unlimited renewals under the loan's terms.
    .addColumn("renewal_limit", "bigint")
    .addColumn("offline", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("terminal_account", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("loans_patron_id").on("loans").columns(["patron_id", "due_at"]).execute();
  await db.schema.createIndex("loans_patron_ref").on("loans").columns(["patron_barcode", "patron_institution_id"]).execute();
  await db.schema.createIndex("loans_item_ref").on("loans").columns(["item_barcode", "item_institution_id"]).execute();
  await db.schema.createIndex("loans_item_id").on("loans").column("item_id").execute();

  await db.schema
    .createTable("loan_rules")
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("patron_type", "text", (c) => c.notNull())
    .addColumn("item_type", "text", (c) => c.notNull())
    // The domain's LoanRule as JSON (circulates, period, renewalLimit, maxItems, fine).
    .addColumn("rule", "jsonb", (c) => c.notNull())
    // ISO 4217 code of the fine amounts; '' = the item's institution's currency.
    .addColumn("currency", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("loan_rules_pkey", ["institution_id", "patron_type", "item_type"])
    .execute();

  await db.schema
    .createTable("institutions")
    .addColumn("institution_id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    // '' = not configured: the service's default zone applies.
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("currency", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("calendars")
    .addColumn("institution_id", "text", (c) => c.notNull())
    // '' = the institution-wide calendar (the only one due dates use today).
    .addColumn("location", "text", (c) => c.notNull().defaultTo(""))
    // Weekday numbers, 0 = Sunday … 6 = Saturday.
    .addColumn("closed_weekdays", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Local dates "YYYY-MM-DD".
    .addColumn("closed_dates", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("calendars_pkey", ["institution_id", "location"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["calendars", "institutions", "loan_rules", "loans"]) await db.schema.dropTable(table).ifExists().execute();
}
