import { commands, type common, type RefusalExtras, refusedOutcome } from "@circulate/contracts";
import type { EventMetadata } from "@circulate/eventstore";
import { type ExtraRefusal, ProjectionBehindError, peerDeadline, recordOutcome, storedOutcome } from "@circulate/service";
import type { PatronRow } from "../adapters/db.js";
import { MalformedPinHashError } from "./pin-hasher.js";
import type { PatronEvent, RegisteredPatron } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { loadPolicyFacts, type PolicyFacts, type UsageFacts } from "./facts.js";
import { findPatron } from "../adapters/patrons.repository.js";
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

export function eventMetadata(env: Envelope, patron: RegisteredPatron): EventMetadata {
  return { institution: patron.id.institution, correlationId: env.correlationId, causationId: env.commandId };
}

/**
 * The patron a kiosk command names, or the outcome that ends the command
 * there: no barcode (INVALID_REQUEST), or nobody by it (PATRON_NOT_FOUND with
 * `unknown`, e.g. the unknown standing a 24/64 reports, recorded so a repeat
 * gets the same answer even once the patron is loaded).
 */
export async function commandPatron(
  app: PatronApp,
  env: Envelope,
  patron: common.PatronRef | undefined,
  unknown: RefusalExtras = {},
): Promise<{ done: Outcome } | { done?: undefined; row: PatronRow; ref: common.PatronRef }> {
  if (!patron?.barcode) return { done: refusedOutcome(env, commands.RefusalReason.INVALID_REQUEST, "no patron barcode") };
  const row = await findPatron(app.db, patron);
  if (!row) return { done: await recordOutcome(app.db, env, refusedOutcome(env, commands.RefusalReason.PATRON_NOT_FOUND, "no such patron", unknown)) };
  return { row, ref: patron };
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
      peerDeadline(env, new Date(), spec.usage === "best-effort" ? BEST_EFFORT_SHARE : 1),
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
        decide: (state) => {
          if (state.status !== "registered") throw new StaleFactsError("patron vanished");
          assertPinFactFits(state, pin);
          const d = spec.decide({ state, policy, usage, pin, now });
          return { events: d.events, outcome: commands.Outcome.toJSON(d.outcome) };
        },
      });
      forgetPinIfChanged(app, row.stream_id, result.events);
      if (result.events.length > 0) app.eventsCommitted();
      return storedOutcome(result.outcome, result.replayed);
    } catch (error) {
      if (!(error instanceof StaleFactsError) || attempt >= MAX_STALE_RETRIES) throw error;
    }
  }
}

/**
 * The patron service's own failure that becomes a refusal (the rest are the
 * pipeline's): a corrupt PIN hash. Kiosks see the reason, never the error
 * text. Nothing was recorded, so a retry decides afresh.
 */
export const patronRefusalOf: ExtraRefusal = (err) =>
  err instanceof MalformedPinHashError ? { reason: commands.RefusalReason.INTERNAL_ERROR, detail: "stored PIN hash unreadable" } : undefined;
