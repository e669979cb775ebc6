import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely } from "kysely";
import type { EventStoreDatabase } from "./schema.js";

/**
 * Called by {@link withIdempotency} inside the transaction that records a
 * command's outcome, just before the `idempotency` insert: whatever it writes
 * commits with the outcome or not at all, and a replay (which records
 * nothing) never calls it. `outcome` is the stored JSON.
 */
export type OutcomeRecorder = (trx: Kysely<EventStoreDatabase>, record: { commandId: string; outcome: unknown }) => Promise<void>;

// Async-local rather than an option: a command's outcome is recorded by
// whichever store helper its handler uses (handleCommand, withIdempotency,
// recordOutcome), and the recorder is set once around the handler by the
// shared command pipeline instead of being threaded through every one of them.
const recorders = new AsyncLocalStorage<OutcomeRecorder>();

/** Runs `work` with `recorder` called for every outcome recorded within it (see {@link OutcomeRecorder}). */
export function recordingOutcomes<T>(recorder: OutcomeRecorder, work: () => Promise<T>): Promise<T> {
  return recorders.run(recorder, work);
}

/** The recorder of the work in progress, if any. */
export function currentOutcomeRecorder(): OutcomeRecorder | undefined {
  return recorders.getStore();
}
