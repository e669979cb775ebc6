import { type Kysely, sql } from "kysely";

// Frozen in time: SQL only, never the service's table types or app code, so
// later changes to the code cannot change what this migration did.

/**
 * `patrons`: the read model of patron streams (inline projection, written in
 * the same transaction as the events), used to find a patron by barcode or id
 * and to answer GetPatron. `institutions` and `patron_types`: reference data
 * loaded by the admin API (plain upserted rows, not event-sourced).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("patrons")
    .addColumn("patron_id", "text", (c) => c.primaryKey())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    .addColumn("stream_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("patron_type", "text", (c) => c.notNull())
    .addColumn("home_institution", "text", (c) => c.notNull())
    .addColumn("expiry_date", "text")
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("address", "text")
    .addColumn("birth_date", "text")
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("blocked", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("block_message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("block_card_retained", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("block_terminal", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("card_lost", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("pin_set", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("pin_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("pin_locked", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("patrons_institution_barcode_key", ["institution_id", "barcode"])
    .execute();
  // Consortium look-ups find a barcode across member institutions.
  await db.schema.createIndex("patrons_barcode_idx").on("patrons").column("barcode").execute();

  await db.schema
    .createTable("institutions")
    .addColumn("institution_id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("consortium_id", "text", (c) => c.notNull().defaultTo(""))
    // NULL = the service default; 0 = never lock.
    .addColumn("max_wrong_pins", "integer")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("patron_types")
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("patron_type", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    // NULL = no limit.
    .addColumn("max_loans", "integer")
    .addColumn("max_overdue", "integer")
    .addColumn("max_holds", "integer")
    .addColumn("fee_limit_minor", "bigint")
    // "" = the institution's currency.
    .addColumn("fee_limit_currency", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("patron_types_pkey", ["institution_id", "patron_type"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("patron_types").execute();
  await db.schema.dropTable("institutions").execute();
  await db.schema.dropTable("patrons").execute();
}
