import { type DomainEvent, fromStoredEvent, type StoredEvent, toStoredEvent } from "@circulate/contracts";
import type { NewEvent, RecordedEvent } from "@circulate/eventstore";
import { currentLoan, evolve, initialState, type LoanState, type Routing } from "../domain/index.js";

/**
 * An item's loan stream as the app folds it: the domain's `LoanState` plus
 * what only the store knows, the command behind its last events (what a
 * cancel reverses) and the type of its last event.
 */
export interface LoanStream {
  readonly state: LoanState;
  /** The command of the stream's last events: what a cancel (BI = Y) reverses. */
  readonly lastCommandId: string;
  /** Type of the stream's last event (null = empty): whether it circulated since an import. */
  readonly lastEventType: DomainEvent<"loan">["type"] | null;
}

export function initialStream(): LoanStream {
  return { state: initialState(), lastCommandId: "", lastEventType: null };
}

function apply(stream: LoanStream, event: DomainEvent<"loan">, commandId: string): LoanStream {
  return { state: evolve(stream.state, event), lastCommandId: commandId, lastEventType: event.type };
}

/** The fold `handleCommand` / `aggregateStream` run over a stored stream; another service's event type is skipped. */
export function evolveStream(stream: LoanStream, recorded: RecordedEvent): LoanStream {
  const event = fromStoredEvent("loan", recorded);
  if (event === undefined) return stream;
  const causation = recorded.metadata.causationId;
  return apply(stream, event, typeof causation === "string" ? causation : "");
}

/**
 * What the deciders cannot know, added to their events: the loan after each
 * (`current`), the command a cancel reverses (the stream's last), and where
 * a checked-in copy goes.
 */
function completed(event: DomainEvent<"loan">, after: LoanState, cancelledCommandId: string, routing: Routing | null): DomainEvent<"loan"> {
  const current = currentLoan(after);
  switch (event.type) {
    case "ItemCheckedIn": {
      const route = routing ? { holdId: routing.holdId, destinationLocation: routing.destination, inTransit: routing.inTransit } : {};
      return { type: event.type, data: { ...event.data, ...route, current } };
    }
    case "CheckoutCancelled":
      return { type: event.type, data: { ...event.data, cancelledCommandId, current } };
    case "RenewalCancelled":
      return { type: event.type, data: { ...event.data, cancelledCommandId, current } };
    case "CheckinCancelled":
      return { type: event.type, data: { ...event.data, cancelledCommandId, current } };
    default:
      return { ...event, data: { ...event.data, current } } as DomainEvent<"loan">;
  }
}

/**
 * The stored events for a decision's events, in order, and the stream after
 * them. `occurredAt` is the kiosk's transaction time of a no-block transaction.
 */
export function storedEvents(
  stream: LoanStream,
  events: readonly DomainEvent<"loan">[],
  routing: Routing | null,
  occurredAt?: Date,
): { stored: NewEvent<StoredEvent>[]; after: LoanStream } {
  let after = stream;
  const stored = events.map((event) => {
    after = apply(after, event, after.lastCommandId);
    const e = toStoredEvent(completed(event, after.state, stream.lastCommandId, routing));
    return occurredAt ? { ...e, occurredAt } : e;
  });
  return { stored, after };
}

/** The id of the loan the item is on now; empty when it is not on loan. */
export function currentLoanId(stream: LoanStream): string {
  return stream.state.status === "on_loan" ? stream.state.loan.loanId : "";
}
