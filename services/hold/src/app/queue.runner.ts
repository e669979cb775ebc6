import { setTimeout as delay } from "node:timers/promises";
import { type DomainEvent, toStoredEvent } from "@circulate/contracts";
import { aggregateStream, appendToStream, ConcurrencyError, type Event, type EventMetadata, withIdempotency } from "@circulate/eventstore";
import { inCommitSpan } from "@circulate/service";
import type { Kysely } from "kysely";
import type { HoldDb, HoldTransaction } from "../adapters/db.js";
import { projectQueue } from "./projection.js";
import { evolveQueueState, initialQueueState, type QueueState, withCurrent } from "./queue.state.js";

/** Which queue: the stream of one title in one institution. */
export interface QueueKey {
  readonly institution: string;
  readonly titleId: string;
}

export interface QueueDecision<O> {
  readonly events: readonly DomainEvent<"hold">[];
  readonly outcome: O;
  /** When the events happened; default: the time of the append. */
  readonly at?: Date;
}

/** Reads a queue (outside any decision: queries, fact gathering). */
export async function loadQueue(db: Kysely<HoldDb>, key: QueueKey): Promise<QueueState> {
  const initial = initialQueueState(key.institution, key.titleId);
  const { state } = await aggregateStream<QueueState, Event, HoldDb>(db, initial.streamId, evolveQueueState, () => initial);
  return state;
}

/**
 * Folds the queue, decides, appends with optimistic concurrency and projects,
 * inside the caller's transaction. A ConcurrencyError leaves the transaction
 * unusable: the caller retries the whole unit.
 */
export async function decideOnQueue<O>(
  trx: HoldTransaction,
  key: QueueKey,
  decide: (state: QueueState) => QueueDecision<O> | Promise<QueueDecision<O>>,
  metadata: EventMetadata,
): Promise<{ outcome: O; state: QueueState; appended: number }> {
  const initial = initialQueueState(key.institution, key.titleId);
  const current = await aggregateStream<QueueState, Event, HoldDb>(trx, initial.streamId, evolveQueueState, () => initial);
  const decision = await decide(current.state);
  if (decision.events.length === 0) return { outcome: decision.outcome, state: current.state, appended: 0 };
  // Every event leaves here carrying its hold as it is after the event (`current`).
  const at = decision.at ?? new Date();
  const toAppend = withCurrent(current.state, decision.events, at, metadata).map((e) => ({ ...toStoredEvent(e), occurredAt: at }));
  const { events } = await appendToStream<HoldDb, Event>(trx, initial.streamId, current.version, toAppend, metadata);
  const state = await projectQueue(trx, current.state, events);
  return { outcome: decision.outcome, state, appended: events.length };
}

/**
 * A command on one queue, exactly once per command id: the recorded outcome is
 * replayed for a duplicate, and nothing is applied past the deadline
 * (`DeadlineExceededError`).
 */
export async function runCommandOnQueue<O>(
  db: Kysely<HoldDb>,
  options: { commandId: string; deadline?: Date | undefined; key: QueueKey; metadata: EventMetadata },
  decide: (state: QueueState) => QueueDecision<O>,
): Promise<{ outcome: O; replayed: boolean; appended: number }> {
  let appended = 0;
  const result = await inCommitSpan(() =>
    withIdempotency(db, { commandId: options.commandId, deadline: options.deadline }, async (trx) => {
      const r = await decideOnQueue(trx, options.key, decide, options.metadata);
      appended = r.appended;
      return r.outcome;
    }),
  );
  return { outcome: result.outcome, replayed: result.replayed, appended: result.replayed ? 0 : appended };
}

/** Work on one queue without a command id (import, expiry sweep), retried on a concurrent append. */
export async function runOnQueue<O>(
  db: Kysely<HoldDb>,
  key: QueueKey,
  decide: (state: QueueState) => QueueDecision<O>,
  metadata: EventMetadata,
  maxAttempts = 5,
): Promise<{ outcome: O; state: QueueState; appended: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => decideOnQueue(trx, key, decide, metadata));
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= maxAttempts) throw err;
      await delay(Math.random() * 5 * attempt);
    }
  }
}
