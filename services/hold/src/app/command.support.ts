import type { Accepted, Decision } from "@circulate/domain";
import { commands } from "@circulate/contracts";
import type { EventMetadata } from "@circulate/eventstore";
import { type PeerProjections, type PipelineContext, storedOutcome } from "@circulate/service";
import type { Kysely } from "kysely";
import type { HoldDb } from "../adapters/db.js";
import type { Peers } from "../adapters/peers.js";
import { type QueueDecision, type QueueKey, runCommandOnQueue } from "./queue.runner.js";
import type { QueueState } from "./queue.state.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;
const Reason = commands.RefusalReason;

/** Service-level settings the handlers apply (see settings.ts). */
export interface HoldSettings {
  /** Days a trapped copy waits on the hold shelf. */
  readonly shelfDays: number;
  /** Valid pickup locations; `null` = any. */
  readonly pickupLocations: readonly string[] | null;
}

/** What every handler and query works with; it is also the command pipeline's context. */
export interface HoldDeps extends PipelineContext<HoldDb> {
  readonly db: Kysely<HoldDb>;
  readonly peers: Peers;
  /** The read-your-writes barrier over the item and loan facts kept from their events. */
  readonly projections: PeerProjections;
  readonly settings: HoldSettings;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
  readonly now: () => Date;
}

function metadataOf(env: Envelope): EventMetadata {
  return { institution: env.institutionId, correlationId: env.correlationId, causationId: env.commandId };
}

/**
 * Decides a command on one title queue, exactly once per command id, in one
 * transaction (fold, decide, append, project, record the outcome), and wakes
 * the relay when it appended; a duplicate gets the recorded outcome.
 */
export async function decideQueueCommand(deps: HoldDeps, env: Envelope, key: QueueKey, decide: (state: QueueState) => QueueDecision<Outcome>): Promise<Outcome> {
  const result = await runCommandOnQueue(deps.db, { commandId: env.commandId, deadline: env.deadline, key, metadata: metadataOf(env) }, (state) => {
    const d = decide(state);
    return { events: d.events, outcome: commands.Outcome.toJSON(d.outcome) };
  });
  if (result.appended > 0) deps.eventsCommitted();
  return storedOutcome(result.outcome, result.replayed);
}

/** Until when a copy put on the shelf now waits: whole days from now (no calendar here; see README). */
export function shelfExpiry(now: Date, settings: HoldSettings): string {
  return new Date(now.getTime() + settings.shelfDays * 86_400_000).toISOString();
}

/** Deciders that never refuse (`Decision<E, never, A>`) narrowed to their accepted shape. */
export function acceptedOnly<E, A>(d: Decision<E, never, A>): Accepted<E, A> {
  if (d.outcome !== "accepted") throw new Error("a decider that never refuses refused");
  return d;
}

export { Reason };
