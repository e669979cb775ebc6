import { commands, type DomainEvent, type StoredEvent } from "@circulate/contracts";
import { handleCommand } from "@circulate/eventstore";
import { inCommitSpan, inDecideSpan, type PeerProjections, type PipelineContext, storedOutcome } from "@circulate/service";
import type { LoanDatabase, LoanDb, LoanTrx } from "../adapters/db.js";
import type { Routing } from "../domain/index.js";
import { evolveStream, initialStream, type LoanStream, storedEvents } from "./loan-stream.js";
import { loanRowProjection } from "./loans.projection.js";
import type { Peers } from "./peers.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;

/** What the command handlers and admin operations work with; it is also the command pipeline's context. */
export interface LoanDeps extends PipelineContext<LoanDatabase> {
  readonly db: LoanDb;
  readonly peers: Peers;
  /** The read-your-writes barrier over our copies of peers' facts. */
  readonly projections: PeerProjections;
  /** Zone of institutions nobody configured (LOAN_DEFAULT_TIME_ZONE). */
  readonly defaultTimeZone: string;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
}

/** A decision on one item's stream, ready to store. */
export interface StreamDecision {
  readonly events: readonly DomainEvent<"loan">[];
  /** Builds the outcome once the stream after the events is known (loan ids). */
  readonly outcome: (after: LoanStream) => Outcome;
  /** Where a checked-in copy goes (checkin only). */
  readonly routing?: Routing | null;
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
  const result = await inCommitSpan(() =>
    handleCommand<LoanDatabase, LoanStream, StoredEvent, unknown>(deps.db, {
      commandId: envelope.commandId,
      deadline: envelope.deadline,
      streamId,
      initialState: initialStream,
      evolve: evolveStream,
      metadata: { institution: envelope.institutionId, correlationId: envelope.correlationId, causationId: envelope.commandId, offline },
      decide: (stream, { trx }) =>
        inDecideSpan(async () => {
          before = stream;
          const decision = await decide(stream, trx);
          const { stored, after } = storedEvents(stream, decision.events, decision.routing ?? null, decision.occurredAt);
          return { events: stored, outcome: commands.Outcome.toJSON(decision.outcome(after)) };
        }),
      projections: [loanRowProjection(streamId, () => before)],
    }),
  );
  if (result.events.length > 0) deps.eventsCommitted();
  return storedOutcome(result.outcome, result.replayed);
}
