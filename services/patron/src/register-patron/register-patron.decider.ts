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

/** Import of a new patron. The PIN is not part of it: see SetPin. */
export interface RegisterPatron {
  readonly type: "RegisterPatron";
  readonly patron: PatronId;
  /** Internal id for a new patron, drawn by the app (ignored when the patron exists). */
  readonly patronId: string;
  readonly record: PatronRecord;
}

export type RegisterPatronRefusal = "invalid_record" | "patron_already_registered";

/**
 * Registers a patron. Re-running the same import is a no-op (accepted, no
 * events) so an importer can be restarted from the top; registering an existing
 * patron with different data is refused rather than silently updating, so an
 * importer that meant "create" learns that the barcode is already taken.
 */
export function decideRegisterPatron(
  command: RegisterPatron,
  state: PatronState,
  facts: PatronRecordFacts,
): Decision<PatronEvent, RegisterPatronRefusal> {
  const problem = patronRecordProblem(command.record);
  if (problem) return refuse("invalid_record", problem);
  const record = pickPatronRecord(command.record);
  if (state.status === "registered") {
    return changedPatronFields(state.record, record).length === 0
      ? accept([])
      : refuse("patron_already_registered", "use UpdatePatron to change an existing patron");
  }
  return accept([
    patronEvent("PatronRegistered", {
      patronId: command.patronId,
      patron: patronRefOf(command.patron),
      ...patronDetails(record, facts.timeZone),
      record,
    }),
  ]);
}
