import { loan } from "@circulate/contracts";
import type { NewEvent, RecordedEvent } from "@circulate/eventstore";
import { UNLIMITED } from "../adapters/terms.codec.js";
import { type EventDetails, type LoanMeta, type StoredLoanEvent, toStoredEvent } from "../adapters/events.codec.js";
import { fromStoredEvent } from "../adapters/events.decode.js";
import { evolve, initialState, type LoanEvent, type LoanState } from "../domain/index.js";

/**
 * An item's loan stream as the app folds it: the domain's `LoanState` plus what
 * the events say about the loan that the deciders do not need (loan id, item
 * id, title, the borrower's card institution, the fine currency), so later
 * events of the same loan and the `loans` read model can repeat it.
 */
export interface LoanStream {
  readonly state: LoanState;
  /** The current loan's meta; null when not on loan. */
  readonly current: LoanMeta | null;
  /** The loan the last checkin closed, kept while a cancel may restore it. */
  readonly closed: LoanMeta | null;
  /** The command of the stream's last events: what a cancel (BI = Y) reverses. */
  readonly lastCommandId: string;
  /** Type of the stream's last event (null = empty): whether it circulated since an import. */
  readonly lastEventType: LoanEvent["type"] | null;
}

export function initialStream(): LoanStream {
  return { state: initialState(), current: null, closed: null, lastCommandId: "", lastEventType: null };
}

function apply(stream: LoanStream, event: LoanEvent, meta: LoanMeta | null, commandId: string): LoanStream {
  return { ...applyLoan(stream, event, meta, commandId), lastEventType: event.type };
}

function applyLoan(stream: LoanStream, event: LoanEvent, meta: LoanMeta | null, commandId: string): Omit<LoanStream, "lastEventType"> {
  const state = evolve(stream.state, event);
  switch (event.type) {
    case "ItemCheckedOut":
    case "LoanImported":
      return { state, current: meta ?? stream.current, closed: null, lastCommandId: commandId };
    case "ItemCheckedIn":
      return { state, current: null, closed: stream.current, lastCommandId: commandId };
    case "ItemCheckedInNotOnLoan":
    case "CheckOutCancelled":
      return { state, current: null, closed: null, lastCommandId: commandId };
    case "CheckInCancelled":
      return { state, current: stream.closed ?? meta, closed: null, lastCommandId: commandId };
    case "LoanRenewed":
    case "RenewalCancelled":
      return { ...stream, state, lastCommandId: commandId };
  }
}

/**
 * The item's loan as a stream's state says it is now, in the contract's terms
 * (undefined: not on loan). Every event carries it as `current`, and the
 * `loans` row is written from it. `overdue` is left false: it depends on when
 * it is read.
 */
export function currentLoan(stream: LoanStream): loan.Loan | undefined {
  const { state, current } = stream;
  if (state.status !== "on_loan" || current === null) return undefined;
  const l = state.loan;
  const limit = l.rule.renewalLimit >= UNLIMITED ? undefined : l.rule.renewalLimit;
  return loan.Loan.fromPartial({
    loanId: current.loanId,
    itemId: current.itemId,
    item: { institutionId: l.institutionId, barcode: l.itemBarcode },
    patronId: l.patronId,
    patron: { institutionId: current.patronInstitutionId, barcode: l.patronBarcode },
    title: current.title,
    titleId: current.titleId,
    checkedOutAt: new Date(l.loanedAt),
    dueAt: new Date(l.dueAt),
    renewalCount: l.renewals,
    offline: l.offline,
    terminalAccount: current.terminalAccount,
    renewalsRemaining: limit === undefined ? undefined : Math.max(0, limit - l.renewals),
  });
}

/** The fold `handleCommand` / `aggregateStream` run over a stored stream. */
export function evolveStream(stream: LoanStream, recorded: RecordedEvent<StoredLoanEvent>): LoanStream {
  const { event, meta } = fromStoredEvent(recorded.type, recorded.data);
  const causation = recorded.metadata.causationId;
  return apply(stream, event, meta, typeof causation === "string" ? causation : "");
}

/** Which loan an event is about: a new loan gets the command's fresh meta, the rest the loan they touch. */
function metaFor(stream: LoanStream, event: LoanEvent, fresh: LoanMeta): LoanMeta {
  switch (event.type) {
    case "ItemCheckedOut":
      return fresh;
    case "LoanImported":
      // A re-import of the patron's own loan updates that loan: same id.
      return stream.current ? { ...fresh, loanId: stream.current.loanId } : fresh;
    case "ItemCheckedInNotOnLoan":
      return { ...fresh, loanId: "" };
    case "CheckInCancelled":
      return stream.closed ?? fresh;
    default:
      return stream.current ?? fresh;
  }
}

/**
 * The stored events for a decision's domain events, in order, and the stream
 * after them. Each event gets the meta of the loan it concerns: an offline
 * checkout that first closes someone else's loan closes it under that loan's
 * id, then lends under a new one. `occurredAt` is the kiosk's transaction time
 * of a no-block transaction.
 */
export function storedEvents(
  stream: LoanStream,
  events: readonly LoanEvent[],
  fresh: LoanMeta,
  details: Omit<EventDetails, "cancelledCommandId">,
  occurredAt?: Date,
): { stored: NewEvent<StoredLoanEvent>[]; after: LoanStream } {
  let after = stream;
  const stored = events.map((event) => {
    const meta = metaFor(after, event, fresh);
    const e = toStoredEvent(event, meta, { ...details, cancelledCommandId: stream.lastCommandId });
    after = apply(after, event, meta, after.lastCommandId);
    const loanAfter = currentLoan(after);
    const carried = { ...e, data: { ...(e.data as Record<string, unknown>), ...(loanAfter ? { current: loan.Loan.toJSON(loanAfter) } : {}) } };
    return occurredAt ? { ...carried, occurredAt } : carried;
  });
  return { stored, after };
}
