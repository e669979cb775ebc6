import { setTimeout as delay } from "node:timers/promises";
import type { Kysely, Transaction } from "kysely";
import { ConcurrencyError, DeadlineExceededError, isUniqueViolation } from "./errors.js";
import { currentOutcomeRecorder } from "./outcome-recorder.js";
import { type EventStoreDatabase, store } from "./schema.js";

/** Options of {@link withIdempotency}. */
export interface IdempotencyOptions {
  /** Id the sender gave the command; a repeat returns the stored outcome. */
  commandId: string;
  /** How long the outcome must be kept before cleanup may delete it. Default 7 days. */
  retentionMs?: number;
  /** Attempts on ConcurrencyError (or a duplicate racing us) before giving up. Default 5. */
  maxAttempts?: number;
  /**
   * Past this instant the command is dropped unapplied: checked before the
   * work and again just before commit. A stored outcome is still replayed.
   */
  deadline?: Date;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Outcome of an idempotent unit of work. */
export interface IdempotentResult<O> {
  /** As stored: JSON round-tripped, identical on first run and on replay. */
  outcome: O;
  /** True when the command had been handled before and nothing was done now. */
  replayed: boolean;
  /** Transactions it took (1 unless a concurrent writer forced a retry). */
  attempts: number;
}

export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

class DuplicateInFlight extends Error {}

/**
 * Runs `work` in ONE transaction at most once per command id, and records its
 * outcome in that same transaction. If the id was already recorded, returns the
 * stored outcome without calling `work`.
 *
 * The lookup is a read and the outcome is inserted last; a duplicate of the same
 * command committing first makes that insert fail (23505), and the retry then
 * replays the winner's outcome, so the effect happens once. ConcurrencyError
 * from `work` is retried up to `maxAttempts` with a short jittered pause.
 *
 * The outcome must be JSON-serialisable (it is stored as jsonb). A recorder
 * set with `recordingOutcomes` writes beside it in the same transaction.
 */
export async function withIdempotency<DB extends EventStoreDatabase, O>(
  db: Kysely<DB>,
  options: IdempotencyOptions,
  work: (trx: Transaction<DB>) => Promise<O>,
): Promise<IdempotentResult<O>> {
  const { commandId, deadline } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const now = options.now ?? (() => new Date());
  const checkDeadline = () => {
    if (deadline && now().getTime() > deadline.getTime()) throw new DeadlineExceededError(commandId, deadline);
  };

  let duplicates = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await db.transaction().execute(async (trx) => {
        const recorded = await recordedOutcome<DB, O>(trx, commandId);
        if (recorded) return recorded;
        checkDeadline();
        const json = JSON.stringify((await work(trx)) ?? null);
        checkDeadline();
        await currentOutcomeRecorder()?.(store(trx), { commandId, outcome: JSON.parse(json) });
        const expiresAt = new Date(now().getTime() + (options.retentionMs ?? DEFAULT_RETENTION_MS));
        try {
          await store(trx).insertInto("idempotency").values({ command_id: commandId, outcome: json, expires_at: expiresAt }).execute();
        } catch (error) {
          if (isUniqueViolation(error, "idempotency_pkey")) throw new DuplicateInFlight(commandId, { cause: error });
          throw error;
        }
        return { outcome: JSON.parse(json) as O, replayed: false };
      });
      return { ...result, attempts: attempt };
    } catch (error) {
      // Another attempt of this command committed first: the next read replays it, whatever the attempts used.
      if (error instanceof DuplicateInFlight && ++duplicates <= maxAttempts) continue;
      if (error instanceof ConcurrencyError && attempt < maxAttempts) {
        await delay(Math.random() * 2 * attempt);
        continue;
      }
      // Out of attempts, but the writer we kept losing to may have been this very command: never say no to what happened.
      if (error instanceof ConcurrencyError) {
        const recorded = await recordedOutcome<DB, O>(db, commandId);
        if (recorded) return { ...recorded, attempts: attempt };
      }
      throw error instanceof DuplicateInFlight ? error.cause : error;
    }
  }
}

async function recordedOutcome<DB extends EventStoreDatabase, O>(
  db: Kysely<DB> | Transaction<DB>,
  commandId: string,
): Promise<{ outcome: O; replayed: true } | undefined> {
  const row = await store(db).selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  return row ? { outcome: row.outcome as O, replayed: true } : undefined;
}

/**
 * Deletes idempotency records whose retention has passed, at most `limit` per
 * call (run it periodically). Returns how many were deleted.
 */
export async function deleteExpiredIdempotencyRecords<DB extends EventStoreDatabase>(
  db: Kysely<DB>,
  now: Date = new Date(),
  limit = 10_000,
): Promise<number> {
  const es = store(db);
  const result = await es
    .deleteFrom("idempotency")
    .where("command_id", "in", es.selectFrom("idempotency").select("command_id").where("expires_at", "<", now).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
