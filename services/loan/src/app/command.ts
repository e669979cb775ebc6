import { commands, peerBudgetMs, refusedOutcome } from "@circulate/contracts";
import { DeadlineExceededError, handleCommand } from "@circulate/eventstore";
import type { Logger } from "@circulate/runtime";
import { type PeerProjections, ProjectionBehindError } from "@circulate/service";
import type { LoanDatabase, LoanDb, LoanTrx } from "../adapters/db.js";
import type { EventDetails, LoanMeta, StoredLoanEvent } from "../adapters/events.codec.js";
import type { LoanEvent } from "../domain/index.js";
import { evolveStream, initialStream, type LoanStream, storedEvents } from "./loan-stream.js";
import { loanRowProjection } from "./loans.projection.js";
import { PeerError, type Peers } from "./peers.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;

/** What the command handlers and admin operations work with. */
export interface LoanDeps {
  readonly db: LoanDb;
  readonly peers: Peers;
  /** The read-your-writes barrier over our copies of peers' facts. */
  readonly projections: PeerProjections;
  readonly logger: Logger;
  /** Zone of institutions nobody configured (LOAN_DEFAULT_TIME_ZONE). */
  readonly defaultTimeZone: string;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
}

/**
 * The outcome recorded for a command id, if any. Looked up before asking
 * peers, so a redelivered command neither asks again (a PIN check counts
 * towards the lock-out; a trap at checkin is a decision of the hold service)
 * nor changes its answer.
 */
export async function recordedOutcome(db: LoanDb, commandId: string): Promise<Outcome | undefined> {
  const row = await db.selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  return row ? { ...commands.Outcome.fromJSON(row.outcome), replayed: true } : undefined;
}

/** The absolute deadline for calls made on behalf of a command: the command's own, less our commit's reserve. */
export function callDeadline(envelope: Envelope): Date {
  return new Date(Date.now() + peerBudgetMs(envelope));
}

/**
 * Runs a handler, turning the failures that are not decisions into
 * well-formed refusals: a peer that did not answer (BACKEND_UNAVAILABLE, or
 * DEADLINE_EXCEEDED when the command's time ran out) and a deadline that
 * passed before commit. Nothing was applied in either case, and nothing is
 * recorded, so a retry is decided afresh. Other errors propagate (the command
 * server answers BACKEND_UNAVAILABLE and logs them).
 */
export async function guarded(deps: LoanDeps, envelope: Envelope, work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return (await recordedOutcome(deps.db, envelope.commandId)) ?? (await work());
  } catch (err) {
    const log = deps.logger.child({ commandId: envelope.commandId, correlationId: envelope.correlationId });
    if (err instanceof PeerError) {
      log.warn({ err }, "peer did not answer; command refused unapplied");
      const reason = err.kind === "deadline" ? commands.RefusalReason.DEADLINE_EXCEEDED : commands.RefusalReason.BACKEND_UNAVAILABLE;
      return refusedOutcome(envelope, reason, err.message);
    }
    if (err instanceof ProjectionBehindError) {
      log.warn({ err }, "peers' facts not current; command refused unapplied");
      return refusedOutcome(envelope, commands.RefusalReason.BACKEND_UNAVAILABLE, "peers' facts are not current");
    }
    if (err instanceof DeadlineExceededError) {
      log.warn("deadline passed before commit; command dropped unapplied");
      return refusedOutcome(envelope, commands.RefusalReason.DEADLINE_EXCEEDED, "deadline passed before the decision was committed");
    }
    throw err;
  }
}

/** A decision on one item's stream, ready to store. */
export interface StreamDecision {
  readonly events: readonly LoanEvent[];
  /** Builds the outcome once the stream after the events is known (loan ids). */
  readonly outcome: (after: LoanStream) => Outcome;
  /** Meta of a loan this decision creates (new loan id, item id, title…). */
  readonly fresh: LoanMeta;
  readonly details: Omit<EventDetails, "cancelledCommandId">;
  /** No-block: when the kiosk says it happened (the events' occurred-at). */
  readonly occurredAt?: Date;
}

/**
 * Decides a command on one item's stream, exactly once per command id, in ONE
 * transaction: fold, decide, append (optimistic concurrency: two checkouts of
 * one copy conflict and the loser is decided again on the new state), the
 * `loans` row, and the outcome. A replay returns the recorded outcome.
 */
export async function decideOnStream(
  deps: LoanDeps,
  envelope: Envelope,
  streamId: string,
  offline: boolean,
  decide: (stream: LoanStream, trx: LoanTrx) => Promise<StreamDecision> | StreamDecision,
): Promise<Outcome> {
  let before = initialStream();
  const result = await handleCommand<LoanDatabase, LoanStream, StoredLoanEvent, unknown>(deps.db, {
    commandId: envelope.commandId,
    deadline: envelope.deadline,
    streamId,
    initialState: initialStream,
    evolve: evolveStream,
    metadata: { institution: envelope.institutionId, correlationId: envelope.correlationId, causationId: envelope.commandId, offline },
    decide: async (stream, { trx }) => {
      before = stream;
      const decision = await decide(stream, trx);
      const { stored, after } = storedEvents(stream, decision.events, decision.fresh, decision.details, decision.occurredAt);
      return { events: stored, outcome: commands.Outcome.toJSON(decision.outcome(after)) };
    },
    projections: [loanRowProjection(streamId, () => before)],
  });
  if (result.events.length > 0) deps.eventsCommitted();
  const outcome = commands.Outcome.fromJSON(result.outcome);
  return result.replayed ? { ...outcome, replayed: true } : outcome;
}

/** Items the patron has charged now, from our own loans (the rule's max items). */
export async function chargedCount(trx: LoanTrx, patronId: string): Promise<number> {
  const row = await trx
    .selectFrom("loans")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("patron_id", "=", patronId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
