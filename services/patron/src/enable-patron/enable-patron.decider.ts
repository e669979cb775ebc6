import { accept, type Decision, refuse } from "@circulate/domain";
import {
  checkPin,
  type PatronEvent,
  type PatronId,
  type PatronStandingReply,
  type PatronState,
  patronEvent,
  type RegisteredPatron,
  type PinPolicy,
  type StandingFacts,
  standingAfter,
} from "../domain/index.js";

/** 25 Patron Enable. */
export interface EnablePatron {
  readonly type: "EnablePatron";
  readonly patron: PatronId;
  /**
   * The app's comparison of the PIN the kiosk sent with the stored hash;
   * `undefined` (or absent) = no PIN given, nothing to check.
   */
  readonly pinMatches?: boolean | undefined;
}

export interface EnablePatronFacts extends StandingFacts {
  /** Needed only when a PIN is checked; without it a wrong PIN never locks. */
  readonly pinPolicy?: PinPolicy;
}

export type EnablePatronRefusal = "patron_not_found" | "pin_invalid" | "pin_locked";

/**
 * Lifts the manual block of 01, and only that. A lost card, an expired card or
 * a usage limit still apply (they have their own causes), and a PIN lock stays:
 * 25 comes from a kiosk, so if it cleared the lock anyone at a kiosk could keep
 * guessing PINs with a 25 after every few tries. Staff clear PIN locks with
 * UnlockPin or SetPin.
 *
 * When the kiosk sent a PIN it must be right: a wrong or locked PIN refuses
 * the enable, and the refusal still carries the PIN bookkeeping to record
 * (a 25 must not be a way to guess PINs without counting).
 */
export function decideEnablePatron(
  command: EnablePatron,
  state: PatronState,
  facts: EnablePatronFacts,
  now: Date,
): Decision<PatronEvent, EnablePatronRefusal, PatronStandingReply> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const check = checkPin(command.pinMatches, state, facts.pinPolicy ?? { maxConsecutiveWrongPins: null, lockMinutes: null }, now);
  if (check.pin === "wrong") return refuse("pin_invalid", undefined, check.events);
  if (check.pin === "locked") return refuse("pin_locked", undefined, check.events);
  const events: PatronEvent[] = [...check.events, ...liftManualBlock(state, { staff: "", reason: "" })];
  return accept(events, { standing: standingAfter(state, events, facts, now) });
}

/** Staff lift the manual block through the admin API (UnblockPatron). */
export interface UnblockPatron {
  readonly type: "UnblockPatron";
  readonly patron: PatronId;
  /** Who (staff name or login): recorded, so a lifted block can be traced to a person. */
  readonly staff: string;
  /** Why; may be empty. */
  readonly reason: string;
}

export type UnblockPatronRefusal = "patron_not_found" | "staff_required";

/**
 * The rule of 25 without its PIN: lifts the manual block, whoever set it (a
 * kiosk, staff or an import), and only that; a patron not blocked changes
 * nothing. Staff are at the desk with the patron, so no PIN is asked.
 */
export function decideUnblockPatron(command: UnblockPatron, state: PatronState): Decision<PatronEvent, UnblockPatronRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const staff = command.staff.trim();
  if (staff === "") return refuse("staff_required", "say who lifts the block");
  return accept(liftManualBlock(state, { staff, reason: command.reason.trim() }));
}

/** What lifting a block records: PatronEnabled when there is a manual block, else nothing. */
function liftManualBlock(state: RegisteredPatron, by: { staff: string; reason: string }): PatronEvent[] {
  return state.block ? [patronEvent("PatronEnabled", { patronId: state.patronId, staff: by.staff, reason: by.reason })] : [];
}
