import type { CommandHandler } from "@circulate/commandbus";
import { type CommandCase, commandRoutes, commands, refusedOutcome } from "@circulate/contracts";
import { DeadlineExceededError, type EventStoreDatabase, type OutcomeRecorder, recordingOutcomes, withIdempotency } from "@circulate/eventstore";
import { inSpan, type Logger } from "@circulate/runtime";
import type { Kysely } from "kysely";
import { PeerUnavailableError } from "./errors.js";
import { insertRefusal } from "./history/history.repository.js";
import { refusalRecord } from "./history/refusal.js";
import { ProjectionBehindError } from "./projections.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;
/** Any service's database: each has the event store's tables, `idempotency` among them. */
type Db = Kysely<EventStoreDatabase>;
const asStore = <DB extends EventStoreDatabase>(db: Kysely<DB>): Db => db as unknown as Db;

/** A service's own failure as a refusal (e.g. an unreadable PIN hash); undefined = not one of them. */
export type ExtraRefusal = (err: unknown) => { reason: commands.RefusalReason; detail: string } | undefined;

/** What the pipeline needs of a service. */
export interface PipelineContext<DB extends EventStoreDatabase = EventStoreDatabase> {
  readonly db: Kysely<DB>;
  readonly logger: Logger;
  readonly refusalOf?: ExtraRefusal;
}

/** The outcome recorded for a command id, marked replayed; undefined when there is none. */
export async function recordedOutcome<DB extends EventStoreDatabase>(db: Kysely<DB>, commandId: string): Promise<Outcome | undefined> {
  const row = await asStore(db).selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  return row ? { ...commands.Outcome.fromJSON(row.outcome), replayed: true } : undefined;
}

/** An outcome as stored in `idempotency`, marked replayed when it was recorded before. */
export function storedOutcome(json: unknown, replayed: boolean): Outcome {
  const outcome = commands.Outcome.fromJSON(json);
  return replayed ? { ...outcome, replayed: true } : outcome;
}

/**
 * Records a decision that touches no stream (an unknown patron or item), so a
 * repeat of the command gets the same answer even if the facts change.
 */
export async function recordOutcome<DB extends EventStoreDatabase>(db: Kysely<DB>, envelope: Envelope, outcome: Outcome): Promise<Outcome> {
  const result = await inCommitSpan(() =>
    withIdempotency(db, { commandId: envelope.commandId, deadline: envelope.deadline }, async () => commands.Outcome.toJSON(outcome)),
  );
  return storedOutcome(result.outcome, result.replayed);
}

/**
 * A command's store transaction (read the stream, decide, append, project,
 * record the outcome, commit) as the `commit` span of the command's trace.
 */
export function inCommitSpan<T>(transaction: () => Promise<T>): Promise<T> {
  return inSpan("commit", transaction);
}

/** The decision inside the transaction as a `decide` span; a concurrency retry decides, and is traced, again. */
export function inDecideSpan<T>(decide: () => Promise<T> | T): Promise<T> {
  return inSpan("decide", async () => decide());
}

/**
 * The failures that are not decisions, as refusals: nothing was applied and
 * nothing recorded, so a retry is decided afresh. Undefined: not one of them
 * (the command server answers BACKEND_UNAVAILABLE and logs it).
 */
export function refusalOf<DB extends EventStoreDatabase>(ctx: PipelineContext<DB>, envelope: Envelope, err: unknown): Outcome | undefined {
  const log = ctx.logger.child({ commandId: envelope.commandId, correlationId: envelope.correlationId });
  const own = ctx.refusalOf?.(err);
  if (own) {
    log.error({ err }, own.detail);
    return refusedOutcome(envelope, own.reason, own.detail);
  }
  if (err instanceof DeadlineExceededError) {
    log.warn("deadline passed before the decision was committed; nothing applied");
    return refusedOutcome(envelope, commands.RefusalReason.DEADLINE_EXCEEDED, "deadline passed before the decision was committed");
  }
  if (err instanceof ProjectionBehindError) {
    log.warn({ err }, "peers' facts not current; command refused unapplied");
    return refusedOutcome(envelope, commands.RefusalReason.BACKEND_UNAVAILABLE, "facts from other services are not current");
  }
  if (err instanceof PeerUnavailableError) {
    log.warn({ err }, "peer did not answer; command refused unapplied");
    const reason = err.kind === "deadline" ? commands.RefusalReason.DEADLINE_EXCEEDED : commands.RefusalReason.BACKEND_UNAVAILABLE;
    return refusedOutcome(envelope, reason, err.message);
  }
  return undefined;
}

/** Queries (17, 23, 63, 35) are answered afresh every time: nothing of theirs is recorded. */
function isQuery(envelope: Envelope): boolean {
  const c = envelope.command?.$case;
  return c !== undefined && commandRoutes[c].kind === "query";
}

/**
 * Keeps a refusal of this command in `transaction_refusals`, in the
 * transaction that records its outcome (whichever store helper the handler
 * records it with). Another command id recorded within it is not this command's.
 */
function refusalKeeper(envelope: Envelope): OutcomeRecorder {
  return async (trx, { commandId, outcome }) => {
    if (commandId !== envelope.commandId) return;
    const refusal = refusalRecord(envelope, outcome);
    if (refusal) await insertRefusal(trx, refusal);
  };
}

/**
 * The one frame of every command handler: a transaction already answered gets
 * its recorded outcome back before anything is asked or read (a second PIN
 * check would count a wrong PIN twice; facts may have changed); then `run`
 * gathers facts, decides and commits, a refusal kept for the history with its
 * outcome; failures that are not decisions become refusals ({@link refusalOf}),
 * recorded nowhere, since nothing was decided.
 */
export function commandHandler<C extends CommandCase, DB extends EventStoreDatabase>(ctx: PipelineContext<DB>, run: CommandHandler<C>): CommandHandler<C> {
  return async (command, envelope) => {
    const recorded = isQuery(envelope) ? undefined : await recordedOutcome(ctx.db, envelope.commandId);
    if (recorded) return recorded;
    try {
      return await recordingOutcomes(refusalKeeper(envelope), () => run(command, envelope));
    } catch (err) {
      const refused = refusalOf(ctx, envelope, err);
      if (refused) return refused;
      throw err;
    }
  };
}
