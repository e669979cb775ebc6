import { accept, type Decision, refuse } from "@circulate/domain";
import {
  type PatronEvent,
  type PatronId,
  type PatronStandingReply,
  type PatronState,
  patronEvent,
  type StandingFacts,
  standingAfter,
} from "../domain/index.js";

/** 01 Block Patron: the kiosk asks the ACS to invalidate the card. */
export interface BlockPatron {
  readonly type: "BlockPatron";
  readonly patron: PatronId;
  /** SIP2 fixed field: the kiosk kept the card. */
  readonly cardRetained: boolean;
  /** SIP2 `AL` blocked card msg: the kiosk's reason. */
  readonly message: string;
  /** The kiosk's terminal account (`""` for staff). */
  readonly terminalAccount: string;
}

export type BlockPatronRefusal = "patron_not_found";

/**
 * Sets the manual block (it denies charge, renewal, recall and hold until 25
 * Patron Enable). Unlike Koha, which only reports the denial in its reply, the
 * block is stored: SIP2 says the ACS should invalidate the card. Blocking again
 * with the same flag and message changes nothing; a different message replaces
 * the old one (the latest reason is the one staff need).
 */
export function decideBlockPatron(
  command: BlockPatron,
  state: PatronState,
  facts: StandingFacts,
  now: Date,
): Decision<PatronEvent, BlockPatronRefusal, PatronStandingReply> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const same = state.block?.cardRetained === command.cardRetained && state.block.message === command.message;
  const events: PatronEvent[] = same
    ? []
    : [
        patronEvent("PatronBlocked", {
          patronId: state.patronId,
          reason: command.message,
          cardRetained: command.cardRetained,
          terminalAccount: command.terminalAccount,
        }),
      ];
  return accept(events, { standing: standingAfter(state, events, facts, now) });
}
