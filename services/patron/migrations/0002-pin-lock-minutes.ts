import type { Kysely } from "kysely";

// Frozen in time: SQL only, never the service's table types or app code.

/** `institutions.pin_lock_minutes`: how long a PIN lock lasts; NULL = until staff lift it. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("institutions").addColumn("pin_lock_minutes", "integer").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("institutions").dropColumn("pin_lock_minutes").execute();
}
