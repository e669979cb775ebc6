import { accept, type Decision, fold } from "@circulate/domain";
import type { PatronEvent } from "./unpublished-fields.js";
import type { PatronId } from "./patron.record.js";
import { evolvePatron, type PatronState } from "./patron.state.js";
import { type Standing, type StandingFacts, standingOf, unknownPatronStanding } from "./standing.js";
import { checkPin, type PinCheck, type PinPolicy, pinLockInForce } from "./verify-pin.decider.js";

/**
 * Who is this and may they borrow? Used for 23 Patron Status and 63 Patron
 * Information, and by the loan, hold and fee services before they decide.
 */
export interface VerifyPatron {
  readonly type: "VerifyPatron";
  readonly patron: PatronId;
  /** `undefined` = no PIN given; otherwise the app's comparison with the stored hash. */
  readonly pinMatches: boolean | undefined;
}

export interface VerifyPatronFacts extends StandingFacts {
  readonly pinPolicy: PinPolicy;
}

export interface PatronVerification {
  readonly found: boolean;
  readonly pin: PinCheck;
  /**
   * PIN checks are locked after this check, whether or not a PIN was given:
   * every message reports a lock the same way (the lock-out screen message).
   */
  readonly pinLocked: boolean;
  readonly standing: Standing;
}

/**
 * Always accepted: for 23/63 an unknown barcode or a wrong PIN is reported in
 * the response (`BL`, `CQ`), not refused, and other services turn the
 * verification into their own refusal with `patronRefusal`. The events are the
 * PIN bookkeeping (see `checkPin`) and must be recorded either way.
 *
 * For an unknown patron there is no stream to write to: no events, the unknown
 * standing, and a given PIN counts as wrong (`CQ` = N).
 */
export function decideVerifyPatron(
  command: VerifyPatron,
  state: PatronState,
  facts: VerifyPatronFacts,
  now: Date,
): Decision<PatronEvent, never, PatronVerification> {
  if (state.status === "unregistered") {
    const pin: PinCheck = command.pinMatches === undefined ? "not_checked" : "wrong";
    return accept([], { found: false, pin, pinLocked: false, standing: unknownPatronStanding() });
  }
  const { pin, events } = checkPin(command.pinMatches, state, facts.pinPolicy, now);
  const after = fold(evolvePatron, state, events);
  const pinLocked = after.status === "registered" && pinLockInForce(after.pin, facts.pinPolicy, now);
  return accept(events, { found: true, pin, pinLocked, standing: standingOf(after, facts, now) });
}
