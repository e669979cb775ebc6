import { accept, type Decision, refuse } from "@circulate/domain";
import type { PatronEvent } from "./patron.events.js";
import { changedPatronFields, type PatronId, type PatronRecord, patronRecordProblem, pickPatronRecord } from "./patron.record.js";
import type { PatronState } from "./patron.state.js";

/** Import of changes to a known patron: the full record as the source system has it now. */
export interface UpdatePatron {
  readonly type: "UpdatePatron";
  readonly patron: PatronId;
  readonly record: PatronRecord;
}

export type UpdatePatronRefusal = "invalid_record" | "patron_not_found";

/**
 * Replaces the record. Identical data emits nothing, so a nightly full import
 * does not write one event per unchanged patron.
 */
export function decideUpdatePatron(command: UpdatePatron, state: PatronState): Decision<PatronEvent, UpdatePatronRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const problem = patronRecordProblem(command.record);
  if (problem) return refuse("invalid_record", problem);
  const record = pickPatronRecord(command.record);
  const changed = changedPatronFields(state.record, record);
  return changed.length === 0 ? accept([]) : accept([{ type: "PatronUpdated", data: { record, changed } }]);
}
