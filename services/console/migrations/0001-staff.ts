import { type Kysely, sql } from "kysely";

// Frozen in time: SQL only, never the console's table types or app code.

/**
 * `staff`: one row per staff account (the scrypt hash only, never a password).
 * `staff_sessions`: server-side sessions, keyed by the SHA-256 of the id the
 * cookie carries, so the table alone cannot be used to log in.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("staff")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role IN ('viewer', 'circulation', 'administrator')`))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("staff_sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("staff_name", "text", (c) => c.notNull().references("staff.name").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("staff_sessions_staff").on("staff_sessions").column("staff_name").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("staff_sessions").execute();
  await db.schema.dropTable("staff").execute();
}
