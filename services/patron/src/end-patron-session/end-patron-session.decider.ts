import { accept, type Decision } from "@circulate/domain";
import type { PatronEvent, PatronId, PatronState } from "../domain/index.js";

/** 35 End Patron Session. */
export interface EndPatronSession {
  readonly type: "EndPatronSession";
  readonly patron: PatronId;
}

/**
 * Always accepted, never an event, known patron or not. The service keeps no
 * per-session state to free, and SIP2 itself warns that 35 may arrive late or
 * never, so nothing may depend on it; an event per session would only grow
 * every patron's stream. Answering `N` (error) for an unknown barcode would make
 * the kiosk show an error for a session that is over either way.
 */
export function decideEndPatronSession(_command: EndPatronSession, _state: PatronState): Decision<PatronEvent, never> {
  return accept([]);
}
