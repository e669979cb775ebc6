import { accept, type Decision, refuse } from "@circulate/domain";
import { type PatronEvent, type PatronId, type PatronState, patronEvent } from "../domain/index.js";

/** Staff (or the patron, by phone) report the card lost: it must stop working at kiosks at once. */
export interface ReportCardLost {
  readonly type: "ReportCardLost";
  readonly patron: PatronId;
  /** Who (staff name or login): recorded, so a blocked card can be traced to a person. */
  readonly staff: string;
}

/** The card turned up again. Exists so a mistaken report is not permanent. */
export interface ReportCardFound {
  readonly type: "ReportCardFound";
  readonly patron: PatronId;
  /** Who (staff name or login). */
  readonly staff: string;
}

export type CardReportRefusal = "patron_not_found";

/** Marks the card lost; reporting it lost twice changes nothing. */
export function decideReportCardLost(command: ReportCardLost, state: PatronState): Decision<PatronEvent, CardReportRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  return accept(state.cardLost ? [] : [patronEvent("PatronCardReportedLost", { patronId: state.patronId, staff: command.staff.trim() })]);
}

/** Clears the lost-card cause; a card that was not lost changes nothing. */
export function decideReportCardFound(command: ReportCardFound, state: PatronState): Decision<PatronEvent, CardReportRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  return accept(state.cardLost ? [patronEvent("PatronCardFound", { patronId: state.patronId, staff: command.staff.trim() })] : []);
}
