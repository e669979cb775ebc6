import { type DomainEvent, fromStoredEvent, toStoredEvent } from "@circulate/contracts";
import {
  aggregateStream,
  appendToStream,
  ConcurrencyError,
  type Event,
  type EventMetadata,
  type NewEvent,
  type RecordedEvent,
} from "@circulate/eventstore";
import { projectFeeEvents } from "../adapters/account.projection.js";
import type { FeeDatabase, FeeDb, FeeTrx } from "../adapters/db.js";
import { evolve, type FeeAccount, initialFeeAccount } from "../domain/index.js";

type FeeEvent = DomainEvent<"fee">;

/** The decider's fold over stored events; a type that is not a fee event is skipped. */
export function evolveStored(state: FeeAccount, recorded: RecordedEvent<Event>): FeeAccount {
  const event = fromStoredEvent("fee", recorded);
  return event ? evolve(state, datedCharge(event, recorded.occurredAt)) : state;
}

/** A charge stored without `chargedAt` was incurred when it was recorded. */
function datedCharge(event: FeeEvent, occurredAt: Date): FeeEvent {
  if (event.type !== "FeeCharged" || event.data.chargedAt) return event;
  return { type: event.type, data: { ...event.data, chargedAt: occurredAt } };
}

export const initialAccount = (): FeeAccount => initialFeeAccount;

/** What the app knows about a decision that the decider does not. */
export interface RecordingFacts {
  /** The patron service's internal id; "" when not known (e.g. an import before the patron service answered). */
  readonly patronId: string;
  /** Terminal account that took a payment. */
  readonly terminalAccount?: string;
  /** When it was decided. */
  readonly at: Date;
}

/**
 * The decider's events as the store keeps them: with the patron's internal id
 * and the terminal filled in. Payments and waivers carry no time of their own, so
 * they are stored at the decision's; a charge has `chargedAt` and is stored at
 * the append's.
 */
export function toAppend(events: readonly FeeEvent[], facts: RecordingFacts): NewEvent<Event>[] {
  return events.map((event) => {
    const filled = { ...event, data: { ...event.data, patronId: facts.patronId } } as FeeEvent;
    if (filled.type === "FeePaid") filled.data.terminalAccount = facts.terminalAccount ?? "";
    const stored = toStoredEvent(filled);
    return filled.type === "FeeCharged" ? stored : { ...stored, occurredAt: facts.at };
  });
}

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
  decide: (state: FeeAccount) => { events: readonly NewEvent<Event>[]; result: R },
  metadata: EventMetadata,
): Promise<{ result: R; appended: RecordedEvent<Event>[] }> {
  const current = await aggregateStream<FeeAccount, Event, FeeDatabase>(trx, streamId, evolveStored, initialAccount);
  const { events, result } = decide(current.state);
  if (events.length === 0) return { result, appended: [] };
  const { events: appended } = await appendToStream<FeeDatabase, Event>(trx, streamId, current.version, events, metadata);
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
