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

/** 01 Block Patron (a kiosk asks the ACS to invalidate the card) or staff blocking through the admin API. */
export interface BlockPatron {
  readonly type: "BlockPatron";
  readonly patron: PatronId;
  /** SIP2 fixed field: the kiosk kept the card (`false` for staff). */
  readonly cardRetained: boolean;
  /** SIP2 `AL` blocked card msg: the kiosk's reason, or the reason staff give. */
  readonly message: string;
  /** The kiosk's terminal account (`""` for staff). */
  readonly terminalAccount: string;
  /** Who blocked (staff name or login; `""` for a kiosk). */
  readonly staff: string;
}

export type BlockPatronRefusal = "patron_not_found";

/**
 * Sets the manual block (it denies charge, renewal, recall and hold until 25
 * Patron Enable or staff lift it). Unlike Koha, which only reports the denial
 * in its reply, the block is stored: SIP2 says the ACS should invalidate the
 * card. Blocking again with the same flag and message changes nothing; a
 * different message replaces the old one (the latest reason is the one staff
 * need). The one rule for kiosks and staff; 01 adds the standing after it.
 */
export function decideBlock(command: BlockPatron, state: PatronState): Decision<PatronEvent, BlockPatronRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const same = state.block?.cardRetained === command.cardRetained && state.block.message === command.message;
  if (same) return accept([]);
  return accept([
    patronEvent("PatronBlocked", {
      patronId: state.patronId,
      reason: command.message,
      cardRetained: command.cardRetained,
      terminalAccount: command.terminalAccount,
      staff: command.staff.trim(),
    }),
  ]);
}

/** 01: {@link decideBlock} and the standing after it, for the 24. */
export function decideBlockPatron(
  command: BlockPatron,
  state: PatronState,
  facts: StandingFacts,
  now: Date,
): Decision<PatronEvent, BlockPatronRefusal, PatronStandingReply> {
  const d = decideBlock(command, state);
  if (d.outcome === "refused") return d;
  return accept(d.events, { standing: standingAfter(state, d.events, facts, now) });
}
