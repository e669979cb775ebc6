import {
  aggregateStream,
  appendToStream,
  ConcurrencyError,
  type EventMetadata,
  handleCommand,
  type RecordedEvent,
} from "@circulate/eventstore";
import { fold } from "@circulate/domain";
import { inCommitSpan } from "@circulate/service";
import type { PatronDatabase, PatronDb, PatronTrx } from "../adapters/db.js";
import { savePatron } from "../adapters/patrons.repository.js";
import { fromStoredPatronEvent, type StoredPatronEvent, toStoredPatronEvent } from "../adapters/stored-events.js";
import {
  evolvePatron,
  initialPatronState,
  type PatronEvent,
  type PatronState,
} from "../domain/index.js";

/** Folds one stored event into the domain state (unknown types are skipped). */
export function evolveStored(state: PatronState, event: RecordedEvent): PatronState {
  const domain = fromStoredPatronEvent(event);
  return domain ? evolvePatron(state, domain) : state;
}

/** A patron's state read outside any transaction (to gather facts before deciding). */
export async function readPatron(db: PatronDb, streamId: string): Promise<PatronState> {
  return (await aggregateStream(db, streamId, evolveStored, initialPatronState)).state;
}

/**
 * Thrown from a `decide` when a fact gathered before the transaction no longer
 * fits the state read inside it (a PIN compared with a hash that has since
 * changed). The caller gathers again and retries.
 */
export class StaleFactsError extends Error {
  override readonly name = "StaleFactsError";
}

export interface PatronDecision<O> {
  readonly events: readonly PatronEvent[];
  /** JSON-safe; stored as the command's outcome when there is a command id. */
  readonly outcome: O;
}

export interface DecideOnPatronOptions<O> {
  readonly streamId: string;
  /** Idempotency key: a repeat returns the stored outcome. Absent = not recorded (admin upserts, idempotent by data). */
  readonly commandId?: string;
  readonly deadline?: Date;
  readonly metadata: EventMetadata;
  /** Kiosk behind the events ("" for staff, imports and other services). */
  readonly terminalAccount: string;
  readonly decide: (state: PatronState) => PatronDecision<O>;
}

export interface PatronCommandResult<O> {
  readonly outcome: O;
  readonly replayed: boolean;
  /** Domain events appended now (empty on replay). */
  readonly events: readonly PatronEvent[];
  /** The state after the decision; undefined on replay (the stream was not read). */
  readonly after: PatronState | undefined;
}

/**
 * Decides on one patron stream in ONE transaction: fold, decide, append the
 * stored form of the events, update the `patrons` row, and (with a command id)
 * record the outcome.
 */
export async function decideOnPatron<O>(db: PatronDb, options: DecideOnPatronOptions<O>): Promise<PatronCommandResult<O>> {
  let appended: PatronEvent[] = [];
  let after: PatronState = initialPatronState();
  const decideStored = (state: PatronState) => {
    const decision = options.decide(state);
    appended = fromTerminal(decision.events, options.terminalAccount);
    after = fold(evolvePatron, state, appended);
    return { events: appended.map(toStoredPatronEvent), outcome: decision.outcome };
  };
  const project = async (trx: PatronTrx, recorded: readonly RecordedEvent[]) => {
    const last = recorded.at(-1);
    if (last && after.status === "registered") await savePatron(trx, after, options.streamId, last.streamPosition);
  };

  const commandId = options.commandId;
  if (commandId !== undefined) {
    const result = await inCommitSpan(() =>
      handleCommand(db, {
        commandId,
        deadline: options.deadline,
        streamId: options.streamId,
        initialState: initialPatronState,
        evolve: evolveStored,
        decide: decideStored,
        metadata: options.metadata,
        projections: [project],
      }),
    );
    return result.replayed
      ? { outcome: result.outcome, replayed: true, events: [], after: undefined }
      : { outcome: result.outcome, replayed: false, events: appended, after };
  }

  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await db.transaction().execute(async (trx) => {
        const current = await aggregateStream<PatronState, RecordedEvent, PatronDatabase>(trx, options.streamId, evolveStored, initialPatronState);
        const decision = decideStored(current.state);
        if (decision.events.length > 0) {
          const append = await appendToStream<PatronDatabase, StoredPatronEvent>(trx, options.streamId, current.version, decision.events, options.metadata);
          await project(trx, append.events);
        }
        return decision.outcome;
      });
      return { outcome, replayed: false, events: appended, after };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}

/**
 * The kiosk a PIN failure or an enable came from: the command's terminal,
 * which the deciders are not told ("" for staff, imports and other services).
 */
export function fromTerminal(events: readonly PatronEvent[], terminalAccount: string): PatronEvent[] {
  return events.map((e) => (e.type === "PinFailed" || e.type === "PatronEnabled" ? { type: e.type, data: { ...e.data, terminalAccount } } : e) as PatronEvent);
}
