import type { Accepted, Decision } from "@circulate/domain";
import { commands, isPastDeadline, type patron, refusedOutcome } from "@circulate/contracts";
import { DeadlineExceededError, type EventMetadata, withIdempotency } from "@circulate/eventstore";
import type { Logger } from "@circulate/runtime";
import { type PeerProjections, ProjectionBehindError } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { Kysely } from "kysely";
import type { HoldDb } from "../adapters/db.js";
import { type Peers, PeerUnavailableError } from "../adapters/peers.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;
const Reason = commands.RefusalReason;

/** Service-level settings the handlers apply (see config.ts). */
export interface HoldSettings {
  /** Days a trapped copy waits on the hold shelf. */
  readonly shelfDays: number;
  /** Valid pickup locations; `null` = any. */
  readonly pickupLocations: readonly string[] | null;
}

/** What every handler and query works with. */
export interface HoldDeps {
  readonly db: Kysely<HoldDb>;
  readonly peers: Peers;
  /** The read-your-writes barrier over the item and loan facts kept from their events. */
  readonly projections: PeerProjections;
  readonly settings: HoldSettings;
  readonly logger: Logger;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
  readonly now: () => Date;
}

export function metadataOf(env: Envelope): EventMetadata {
  return { institution: env.institutionId, correlationId: env.correlationId, causationId: env.commandId };
}

/** Until when a copy put on the shelf now waits: whole days from now (no calendar here; see README). */
export function shelfExpiry(now: Date, settings: HoldSettings): string {
  return new Date(now.getTime() + settings.shelfDays * 86_400_000).toISOString();
}

async function recordedOutcome(db: Kysely<HoldDb>, commandId: string): Promise<Outcome | undefined> {
  const row = await db.selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  return row ? { ...commands.Outcome.fromJSON(row.outcome), replayed: true } : undefined;
}

/**
 * Records an outcome decided before any queue was involved (unknown patron,
 * wrong PIN, unknown item): a duplicate of the command gets it again, even if
 * the facts changed meanwhile.
 */
export async function recordOutcome(deps: HoldDeps, env: Envelope, outcome: Outcome): Promise<Outcome> {
  const result = await withIdempotency(deps.db, { commandId: env.commandId, deadline: env.deadline }, async () =>
    commands.Outcome.toJSON(outcome),
  );
  return fromStored(result.outcome, result.replayed);
}

export function fromStored(json: unknown, replayed: boolean): Outcome {
  const outcome = commands.Outcome.fromJSON(json);
  return replayed ? { ...outcome, replayed: true } : outcome;
}

/**
 * The frame of every command handler:
 * - a command already answered gets its recorded outcome back before any peer
 *   is asked (a second PIN check would count a wrong PIN twice);
 * - past the deadline nothing is applied (DEADLINE_EXCEEDED, not recorded);
 * - an unreachable peer is BACKEND_UNAVAILABLE (not recorded: a retry may succeed);
 * - facts kept from a peer's events not caught up in time count as that peer
 *   out of time: DEADLINE_EXCEEDED, nothing decided.
 */
export async function guarded(deps: HoldDeps, env: Envelope, work: () => Promise<Outcome>): Promise<Outcome> {
  const recorded = await recordedOutcome(deps.db, env.commandId);
  if (recorded) return recorded;
  try {
    return await work();
  } catch (err) {
    // A peer out of time ran out of the command's time: it gets less than the command has, to leave room for our commit.
    const peerOutOfTime =
      err instanceof ProjectionBehindError ||
      (err instanceof PeerUnavailableError && (err.code === grpc.status.DEADLINE_EXCEEDED || isPastDeadline(env, deps.now())));
    if (err instanceof DeadlineExceededError || peerOutOfTime) {
      deps.logger.warn({ commandId: env.commandId }, "command passed its deadline unapplied");
      return refusedOutcome(env, Reason.DEADLINE_EXCEEDED, "deadline passed before the command was applied");
    }
    if (err instanceof PeerUnavailableError) {
      deps.logger.warn({ err, commandId: env.commandId }, "peer unavailable");
      return refusedOutcome(env, Reason.BACKEND_UNAVAILABLE, err.message);
    }
    throw err;
  }
}

/** Refusals that come from the patron check itself, before any hold rule: unknown patron, PIN. */
export function patronGate(v: patron.VerifyPatronResponse, pinGiven: boolean): { reason: commands.RefusalReason; detail: string } | null {
  if (!v.found) return { reason: Reason.PATRON_NOT_FOUND, detail: "patron not found" };
  if (v.pinLocked) return { reason: Reason.PATRON_PIN_LOCKED, detail: "PIN checks locked" };
  if (pinGiven && v.standing?.pinValid === false) return { reason: Reason.PATRON_PIN_INVALID, detail: "PIN invalid" };
  return null;
}

/** Why hold privileges are denied, as precisely as the standing tells. */
export function holdPrivilegeReason(v: patron.VerifyPatronResponse): commands.RefusalReason {
  const flags = v.standing?.status;
  if (v.blocked) return Reason.PATRON_BLOCKED;
  if (flags?.cardReportedLost) return Reason.PATRON_CARD_LOST;
  if (v.expired) return Reason.PATRON_EXPIRED;
  if (flags?.excessiveOutstandingFines) return Reason.PATRON_FINES_OVER_LIMIT;
  return Reason.HOLD_NOT_ALLOWED;
}

/** Deciders that never refuse (`Decision<E, never, A>`) narrowed to their accepted shape. */
export function acceptedOnly<E, A>(d: Decision<E, never, A>): Accepted<E, A> {
  if (d.outcome !== "accepted") throw new Error("a decider that never refuses refused");
  return d;
}

export { Reason };
