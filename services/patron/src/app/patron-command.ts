import { commands, deadlineRemainingMs, refusedOutcome } from "@circulate/contracts";
import { DeadlineExceededError, type EventMetadata, withIdempotency } from "@circulate/eventstore";
import { ProjectionBehindError } from "@circulate/service";
import type { PatronRow } from "../adapters/db.js";
import { MalformedPinHashError } from "./pin-hasher.js";
import type { PatronEvent, RegisteredPatron } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { loadPolicyFacts, type PolicyFacts, type UsageFacts } from "./facts.js";
import { decideOnPatron, readPatron, StaleFactsError } from "./patron-store.js";
import { assertPinFactFits, comparePin, forgetPinIfChanged, type PinFact } from "./pin-check.js";
import { readUsage } from "./usage.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;

/** What a patron command's decide gets: the state in the transaction and every fact gathered before it. */
export interface PatronCommandFacts {
  readonly state: RegisteredPatron;
  readonly policy: PolicyFacts;
  /** Undefined only for best-effort usage whose projections could not catch up in time. */
  readonly usage: UsageFacts | undefined;
  readonly pin: PinFact;
  readonly now: Date;
}

export interface PatronCommandSpec {
  /** The PIN the kiosk sent, to compare before deciding; undefined = none. */
  readonly pin: string | undefined;
  /**
   * `required`: loan or fee projections that cannot catch up in time refuse
   * BACKEND_UNAVAILABLE (the standing would be wrong). `best-effort`: decide
   * without usage (01: the block must happen whatever; it denies everything anyway).
   */
  readonly usage: "required" | "best-effort";
  readonly withHolds: boolean;
  readonly decide: (facts: PatronCommandFacts) => { events: readonly PatronEvent[]; outcome: Outcome };
}

const MAX_STALE_RETRIES = 3;

/**
 * Share of the remaining deadline a best-effort wait for the projections may
 * use. A consumer that is stuck would otherwise use it all, and the decision
 * it is optional for (01) would then miss its own deadline: the rest is kept
 * for the commit and the reply.
 */
const BEST_EFFORT_SHARE = 0.5;

/**
 * Room kept before the command's deadline after the wait for the projections
 * gives up, so the BACKEND_UNAVAILABLE refusal reaches the gateway while it still waits.
 */
const REPLY_MARGIN_MS = 50;

/** How long to wait for the projections: `share` of what is left of the command's deadline, less the reply margin. */
export function projectionBudgetMs(env: Envelope, share = 1): number {
  return Math.max(0, deadlineRemainingMs(env) * share - REPLY_MARGIN_MS);
}

export function eventMetadata(env: Envelope, patron: RegisteredPatron): EventMetadata {
  return { institution: patron.id.institution, correlationId: env.correlationId, causationId: env.commandId };
}

/**
 * Runs a command on a known patron: gather facts (own policy, then PIN
 * comparison and usage in parallel) BEFORE the transaction, then decide,
 * append, project and record the outcome in one (see decideOnPatron).
 */
export async function runPatronCommand(app: PatronApp, env: Envelope, row: PatronRow, spec: PatronCommandSpec): Promise<Outcome> {
  const now = app.options.now();
  for (let attempt = 1; ; attempt++) {
    const read = await readPatron(app.db, row.stream_id);
    if (read.status !== "registered") throw new Error(`patron row ${row.patron_id} has no registered stream`);
    const policy = await loadPolicyFacts(app.db, app.options, read);
    const usagePromise = readUsage(
      app,
      { patronId: read.patronId, currency: policy.currency },
      now,
      projectionBudgetMs(env, spec.usage === "best-effort" ? BEST_EFFORT_SHARE : 1),
      spec.withHolds,
    );
    const [usage, pin] = await Promise.all([
      spec.usage === "required"
        ? usagePromise
        : usagePromise.catch((err: unknown) => {
            if (!(err instanceof ProjectionBehindError)) throw err;
            app.logger.warn({ err, correlationId: env.correlationId }, "deciding without usage facts");
            return undefined;
          }),
      comparePin(app, row.stream_id, read, spec.pin, { policy: policy.pinPolicy, now }),
    ]);
    try {
      const result = await decideOnPatron(app.db, {
        streamId: row.stream_id,
        commandId: env.commandId,
        deadline: env.deadline,
        metadata: eventMetadata(env, read),
        terminalAccount: env.terminal?.account ?? "",
        timeZone: policy.timeZone,
        decide: (state) => {
          if (state.status !== "registered") throw new StaleFactsError("patron vanished");
          assertPinFactFits(state, pin);
          const d = spec.decide({ state, policy, usage, pin, now });
          return { events: d.events, outcome: commands.Outcome.toJSON(d.outcome) };
        },
      });
      forgetPinIfChanged(app, row.stream_id, result.events);
      if (result.events.length > 0) app.eventsCommitted();
      const outcome = commands.Outcome.fromJSON(result.outcome);
      return result.replayed ? { ...outcome, replayed: true } : outcome;
    } catch (error) {
      if (!(error instanceof StaleFactsError) || attempt >= MAX_STALE_RETRIES) throw error;
    }
  }
}

/** The outcome recorded earlier for this command id, if any (checked before any costly fact gathering). */
export async function recordedOutcome(app: PatronApp, env: Envelope): Promise<Outcome | undefined> {
  const row = await app.db.selectFrom("idempotency").select("outcome").where("command_id", "=", env.commandId).executeTakeFirst();
  return row ? { ...commands.Outcome.fromJSON(row.outcome), replayed: true } : undefined;
}

/** Records a decision that touches no stream (unknown patron), so a repeat gets the same answer. */
export async function recordOutcome(app: PatronApp, env: Envelope, outcome: Outcome): Promise<Outcome> {
  const result = await withIdempotency(app.db, { commandId: env.commandId, deadline: env.deadline }, async () =>
    commands.Outcome.toJSON(outcome),
  );
  const recorded = commands.Outcome.fromJSON(result.outcome);
  return result.replayed ? { ...recorded, replayed: true } : recorded;
}

/**
 * The one place where failures become outcomes: a deadline passed in the
 * transaction, peers' projections that did not catch up in time (as a peer
 * that does not answer), a corrupt PIN hash. Kiosks see a
 * reason, never the error text (`detail` is for logs). Nothing was recorded,
 * so a retry decides afresh.
 */
export async function guarded(app: PatronApp, env: Envelope, work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work();
  } catch (err) {
    const log = app.logger.child({ commandId: env.commandId, correlationId: env.correlationId });
    if (err instanceof DeadlineExceededError) {
      log.warn("deadline passed before the decision committed; nothing applied");
      return refusedOutcome(env, commands.RefusalReason.DEADLINE_EXCEEDED, "deadline passed before commit");
    }
    if (err instanceof ProjectionBehindError) {
      log.warn({ err }, "peer projections behind");
      return refusedOutcome(env, commands.RefusalReason.BACKEND_UNAVAILABLE, err.message);
    }
    if (err instanceof MalformedPinHashError) {
      log.error({ err }, "stored PIN hash is malformed");
      return refusedOutcome(env, commands.RefusalReason.INTERNAL_ERROR, "stored PIN hash unreadable");
    }
    throw err;
  }
}
