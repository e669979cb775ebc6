import { aggregateStream, appendToStream, ConcurrencyError, type Event, type EventMetadata, type RecordedEvent } from "@circulate/eventstore";
import type { FeeDatabase, FeeDb, FeeTrx } from "../adapters/db.js";
import { decodeFeeEvent, type EncodeContext, encodeFeeEvent } from "../adapters/events.codec.js";
import { evolve, type FeeAccount, type FeeEvent, initialFeeAccount } from "../domain/index.js";
import { projectFeeEvents } from "./account.projection.js";

/** The decider's fold over stored events (proto JSON), for handleCommand and direct appends. */
export function evolveStored(state: FeeAccount, recorded: RecordedEvent<Event>): FeeAccount {
  return evolve(state, decodeFeeEvent(recorded));
}

export const initialAccount = (): FeeAccount => initialFeeAccount;

/**
 * Folds one account inside `trx`, decides, appends what the decision produced and
 * projects it. For work that has no command id of its own (consumed events,
 * imports); commands go through `handleCommand` for their idempotency record.
 * A concurrent writer makes the append throw ConcurrencyError: the caller's
 * transaction must then be retried from the start.
 */
export async function decideOnAccount<R>(
  trx: FeeTrx,
  streamId: string,
  decide: (state: FeeAccount) => { events: readonly FeeEvent[]; context: EncodeContext; result: R },
  metadata: EventMetadata,
): Promise<{ result: R; appended: RecordedEvent<Event>[] }> {
  const current = await aggregateStream<FeeAccount, Event, FeeDatabase>(trx, streamId, evolveStored, initialAccount);
  const { events, context, result } = decide(current.state);
  if (events.length === 0) return { result, appended: [] };
  const { events: appended } = await appendToStream<FeeDatabase, Event>(trx, streamId, current.version, events.map((e) => encodeFeeEvent(e, context)), metadata);
  await projectFeeEvents(trx, appended);
  return { result, appended };
}

/** Runs `work` in a transaction, again on a concurrent append to the same account. */
export async function inTransaction<R>(db: FeeDb, work: (trx: FeeTrx) => Promise<R>, maxAttempts = 5): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
    }
  }
}
