import { type Kysely, sql } from "kysely";

/**
 * Read models of the hold service. The title-queue streams are the truth; these
 * tables answer "which queues" (a patron's holds, a hold id, an import's external
 * id, the queue a trapped copy is in) and are rebuilt from the events if lost.
 * Self-contained on purpose: migrations never import app code.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on any database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("holds")
    .addColumn("hold_id", "text", (c) => c.primaryKey())
    .addColumn("stream_id", "text", (c) => c.notNull())
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    // The patron as the domain keys them: institution + card barcode.
    .addColumn("patron_key", "text", (c) => c.notNull())
    .addColumn("patron_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("patron_institution", "text", (c) => c.notNull())
    .addColumn("patron_barcode", "text", (c) => c.notNull())
    .addColumn("hold_type", "text", (c) => c.notNull())
    .addColumn("target_kind", "text", (c) => c.notNull())
    .addColumn("item_barcode", "text")
    .addColumn("item_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("pickup_location", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("placed_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz")
    .addColumn("trapped_item_barcode", "text")
    .addColumn("trapped_item_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("trapped_at", "timestamptz")
    .addColumn("available_at", "timestamptz")
    .addColumn("pickup_by", "timestamptz")
    .addColumn("closed_at", "timestamptz")
    .addColumn("external_id", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("holds_patron_key").on("holds").columns(["patron_key", "status"]).execute();
  await db.schema.createIndex("holds_patron_id").on("holds").column("patron_id").where("patron_id", "<>", "").execute();
  await db.schema.createIndex("holds_stream").on("holds").columns(["stream_id", "status"]).execute();
  await db.schema.createIndex("holds_title").on("holds").column("title_id").execute();
  await db.schema
    .createIndex("holds_trapped_item")
    .on("holds")
    .columns(["institution_id", "trapped_item_barcode"])
    .where("trapped_item_barcode", "is not", null)
    .execute();
  await db.schema.createIndex("holds_external_id").on("holds").column("external_id").unique().where("external_id", "is not", null).execute();
  // Partial index for the expiry sweep: only live holds with a date to pass.
  await db.schema
    .createIndex("holds_due_to_expire")
    .on("holds")
    .columns(["status", "expires_at", "pickup_by"])
    .where("status", "in", ["waiting", "available"])
    .execute();

  // What the hold service learned about copies (from the item service and from
  // check-ins): the title a copy belongs to and its home branch. Titles and
  // home branches rarely change; nothing else about an item is cached here.
  await db.schema
    .createTable("known_items")
    .addColumn("institution_id", "text", (c) => c.notNull())
    .addColumn("barcode", "text", (c) => c.notNull())
    .addColumn("item_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("title_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("home_location", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("known_items_pkey", ["institution_id", "barcode"])
    .execute();
  await db.schema.createIndex("known_items_title").on("known_items").column("title_id").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations work on any database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("known_items").execute();
  await db.schema.dropTable("holds").execute();
}
