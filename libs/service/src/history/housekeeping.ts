import { deleteExpiredIdempotencyRecords, type EventStoreDatabase } from "@circulate/eventstore";
import type { Logger } from "@circulate/runtime";
import type { Kysely } from "kysely";
import { deleteRefusalsBefore } from "./history.repository.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long refusals are kept when REFUSAL_RETENTION_DAYS is not set: over a year, so last year's same week can be compared. */
export const DEFAULT_REFUSAL_RETENTION_DAYS = 400;
/** How often a service prunes; records live for days, so hourly is plenty. */
export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/** What one pruning pass deleted. */
export interface Pruned {
  idempotency: number;
  refusals: number;
}

/**
 * Deletes the idempotency records past their expiry and the refusals older
 * than `refusalRetentionDays`, in batches until none is left.
 */
export async function pruneRecords<DB extends EventStoreDatabase>(db: Kysely<DB>, refusalRetentionDays: number, now = new Date(), batch = 10_000): Promise<Pruned> {
  const cutoff = new Date(now.getTime() - refusalRetentionDays * DAY_MS);
  return {
    idempotency: await inBatches(() => deleteExpiredIdempotencyRecords(db, now, batch), batch),
    refusals: await inBatches(() => deleteRefusalsBefore(db, cutoff, batch), batch),
  };
}

/** Runs a delete of at most `batch` rows until one deletes fewer; how many in all. */
async function inBatches(deleteBatch: () => Promise<number>, batch: number): Promise<number> {
  for (let total = 0; ; ) {
    const n = await deleteBatch();
    total += n;
    if (n < batch) return total;
  }
}

/**
 * Runs {@link pruneRecords} now and then every `intervalMs` until stopped.
 * Every replica may run it: deletes of the same rows do not conflict. A
 * failed pass (Postgres away) is logged and tried again next time.
 */
export function startHousekeeping<DB extends EventStoreDatabase>(
  db: Kysely<DB>,
  options: { refusalRetentionDays: number; intervalMs: number; logger: Logger },
): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = pruneRecords(db, options.refusalRetentionDays).then(
      (pruned) => {
        if (pruned.idempotency + pruned.refusals > 0) options.logger.info(pruned, "old idempotency records and refusals pruned");
      },
      (err: unknown) => options.logger.warn({ err }, "pruning old records failed; tried again later"),
    );
  };
  pass();
  const timer = setInterval(pass, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
