import type { Kysely, Transaction } from "kysely";
import { appendToStream } from "./append.js";
import type { Event, EventMetadata, NewEvent, RecordedEvent } from "./events.js";
import { type IdempotencyOptions, withIdempotency } from "./idempotency.js";
import { aggregateStream } from "./read.js";
import type { EventStoreDatabase } from "./schema.js";

/**
 * An inline projection: updates read models from freshly appended events in
 * the same transaction, so they are never behind the log.
 */
export type InlineProjection<DB extends EventStoreDatabase, E extends Event = Event> = (
  trx: Transaction<DB>,
  events: readonly RecordedEvent<E>[],
) => Promise<void>;

/** What a decision produced: events to append (none = nothing to do) and the reply. */
export interface Decision<E extends Event, O> {
  events: readonly NewEvent<E>[];
  outcome: O;
}

/** What {@link handleCommand} needs besides the database. */
export interface HandleCommandOptions<DB extends EventStoreDatabase, S, E extends Event, O> extends IdempotencyOptions {
  /** The stream the command decides on (e.g. `loan-<id>`). */
  streamId: string;
  /** Decider: the state of a stream that has no events. */
  initialState: () => S;
  /** Decider: pure fold of one event into the state. */
  evolve: (state: S, event: RecordedEvent<E>) => S;
  /**
   * Decides given the current state. Wrap a pure `decide(command, state, facts)`
   * here; facts from other services are best gathered before calling
   * handleCommand, so no remote call runs while the transaction is open.
   * `trx` is there for reads of the service's own projections.
   */
  decide: (state: S, context: { version: number; trx: Transaction<DB> }) => Decision<E, O> | Promise<Decision<E, O>>;
  /** Shared metadata of the appended events (institution, correlation id…). */
  metadata?: EventMetadata;
  /** Run after the append, in the same transaction, in order. */
  projections?: readonly InlineProjection<DB, E>[];
}

/** Result of {@link handleCommand}. */
export interface CommandResult<E extends Event, O> {
  outcome: O;
  /** True when the command id had been handled before: nothing was appended now. */
  replayed: boolean;
  /** Events appended by this call (empty on replay or when the decision had none). */
  events: RecordedEvent<E>[];
  /** Stream version after the call (undefined on replay: the stream was not read). */
  version: number | undefined;
  attempts: number;
}

/**
 * Handles one command against one stream, exactly once per command id, in ONE
 * transaction: look up the command id (replay the stored outcome if found),
 * fold the stream, decide, append with optimistic concurrency, run the inline
 * projections, record `command_id → outcome`, commit. A ConcurrencyError
 * restarts the whole transaction (bounded by `maxAttempts`), so `decide` runs
 * again on fresh state and must be free of side effects.
 */
export async function handleCommand<DB extends EventStoreDatabase, S, E extends Event, O>(
  db: Kysely<DB>,
  options: HandleCommandOptions<DB, S, E, O>,
): Promise<CommandResult<E, O>> {
  const { streamId, initialState, evolve, decide, metadata, projections = [] } = options;
  let appended: RecordedEvent<E>[] = [];
  let version: number | undefined;
  const result = await withIdempotency(db, options, async (trx) => {
    appended = [];
    const current = await aggregateStream<S, E, DB>(trx, streamId, evolve, initialState);
    version = current.version;
    const decision = await decide(current.state, { version: current.version, trx });
    if (decision.events.length > 0) {
      const append = await appendToStream(trx, streamId, current.version, decision.events, metadata);
      appended = append.events;
      version = append.nextExpectedVersion;
      for (const project of projections) await project(trx, appended);
    }
    return decision.outcome;
  });
  if (result.replayed) return { ...result, events: [], version: undefined };
  return { ...result, events: appended, version };
}
