import { accept, type Decision } from "@circulate/domain";
import {
  checkPin,
  type PatronEvent,
  type PatronId,
  type PatronState,
  type PinCheck,
  type PinPolicy,
  pinLockedAfter,
  type Standing,
  type StandingFacts,
  standingAfter,
  unknownPatronStanding,
} from "../domain/index.js";

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
  const pinLocked = pinLockedAfter(state, events, facts.pinPolicy, now);
  return accept(events, { found: true, pin, pinLocked, standing: standingAfter(state, events, facts, now) });
}
