import { accept, type Decision, refuse } from "@circulate/domain";
import {
  changedPatronFields,
  type PatronEvent,
  type PatronId,
  type PatronRecord,
  type PatronRecordFacts,
  type PatronState,
  patronDetails,
  patronEvent,
  patronRecordProblem,
  patronRefOf,
  pickPatronRecord,
} from "../domain/index.js";

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
export function decideUpdatePatron(
  command: UpdatePatron,
  state: PatronState,
  facts: PatronRecordFacts,
): Decision<PatronEvent, UpdatePatronRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const problem = patronRecordProblem(command.record);
  if (problem) return refuse("invalid_record", problem);
  const record = pickPatronRecord(command.record);
  const changed = changedPatronFields(state.record, record);
  if (changed.length === 0) return accept([]);
  const details = patronDetails(record, facts.timeZone);
  return accept([patronEvent("PatronDetailsUpdated", { patronId: state.patronId, patron: patronRefOf(state.id), ...details, record, changed })]);
}
