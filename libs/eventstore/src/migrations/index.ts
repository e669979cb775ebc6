import { type Kysely, type Migration, type MigrationResultSet, Migrator } from "kysely";
import * as initial from "./0001-initial.js";
import * as transactionHistory from "./0002-transaction-history.js";

/**
 * The event store's migrations, keyed by name. Names sort in the order they
 * must run. Prefer {@link migrateDatabase}, which keeps these in their own
 * bookkeeping table; if you do merge them into a service's record
 * (`{ ...eventStoreMigrations, ...serviceMigrations }`), the service's names must
 * sort after these and the Migrator needs `allowUnorderedMigrations: true` once
 * the event store ships a later migration.
 */
export const eventStoreMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  "eventstore_0001_initial": initial,
  "eventstore_0002_transaction_history": transactionHistory,
});

/** Bookkeeping tables of the event store's own Migrator. */
export const EVENT_STORE_MIGRATION_TABLE = "eventstore_migration";
export const EVENT_STORE_MIGRATION_LOCK_TABLE = "eventstore_migration_lock";

/** Thrown when a migration fails; `results` says which ran and which failed. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResultSet["results"],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

async function run(migrator: Migrator, what: string): Promise<MigrationResultSet> {
  const outcome = await migrator.migrateToLatest();
  if (outcome.error) {
    const failed = outcome.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new MigrationError(`${what} migration ${failed} failed`, outcome.results, { cause: outcome.error });
  }
  return outcome;
}

/**
 * Brings the event-store tables to the latest version. Safe to call from every
 * replica at start: kysely's Migrator serialises concurrent runs with a lock.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on any database
export function migrateEventStore(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...eventStoreMigrations }) },
    migrationTableName: EVENT_STORE_MIGRATION_TABLE,
    migrationLockTableName: EVENT_STORE_MIGRATION_LOCK_TABLE,
  });
  return run(migrator, "event store");
}

/**
 * Migrates the event store first, then the service's own migrations (tracked
 * in kysely's default `kysely_migration` table), so a service migration may
 * rely on the event-store tables and the two sets never interleave.
 */
export async function migrateDatabase(
  // biome-ignore lint/suspicious/noExplicitAny: migrations work on any database
  db: Kysely<any>,
  serviceMigrations: Readonly<Record<string, Migration>> = {},
): Promise<{ eventStore: MigrationResultSet; service: MigrationResultSet }> {
  const eventStore = await migrateEventStore(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...serviceMigrations }) } });
  const service = await run(migrator, "service");
  return { eventStore, service };
}
