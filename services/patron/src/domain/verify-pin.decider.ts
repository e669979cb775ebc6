import { accept, type Decision, refuse } from "@circulate/domain";
import type { PatronEvent } from "./patron.events.js";
import type { PatronId } from "./patron.record.js";
import type { PatronState, RegisteredPatron } from "./patron.state.js";

/** How many wrong PINs in a row lock the PIN; `null` = never lock. Institution policy. */
export interface PinPolicy {
  readonly maxConsecutiveWrongPins: number | null;
}

/**
 * Result of a PIN check (SIP2 `CQ`): `not_checked` when no PIN was given,
 * `locked` when the PIN is locked (or this attempt locked it).
 */
export type PinCheck = "ok" | "wrong" | "locked" | "not_checked";

/**
 * Applies the lock-out rule to one PIN attempt.
 *
 * - `pinMatches` is a fact computed by the app: `undefined` = no PIN given,
 *   otherwise whether it matched the stored hash (`false` when there is none).
 * - Locked: `locked`, no event, whatever `pinMatches` says. The app may skip
 *   the costly hash when the state is locked. Attempts on a locked PIN are not
 *   recorded: they change nothing, and a guessing script must not be able to
 *   grow the stream without bound.
 * - Wrong: `PinRejected` with the new count; reaching the limit adds
 *   `PinLocked` and the attempt already reports `locked`, so the kiosk tells
 *   the patron to see staff instead of inviting a retry that cannot succeed.
 * - Right: `ok`; `PinAccepted` only when the count was non-zero, so the common
 *   case (23, 63, every checkout with a PIN) writes nothing.
 */
export function checkPin(
  pinMatches: boolean | undefined,
  patron: RegisteredPatron,
  policy: PinPolicy,
): { readonly pin: PinCheck; readonly events: PatronEvent[] } {
  if (pinMatches === undefined) return { pin: "not_checked", events: [] };
  if (patron.pin.locked) return { pin: "locked", events: [] };
  if (pinMatches) {
    return { pin: "ok", events: patron.pin.consecutiveFailures > 0 ? [{ type: "PinAccepted", data: {} }] : [] };
  }
  const consecutiveFailures = patron.pin.consecutiveFailures + 1;
  const rejected: PatronEvent = { type: "PinRejected", data: { consecutiveFailures } };
  const limit = policy.maxConsecutiveWrongPins;
  if (limit !== null && consecutiveFailures >= limit) {
    return { pin: "locked", events: [rejected, { type: "PinLocked", data: { consecutiveFailures } }] };
  }
  return { pin: "wrong", events: [rejected] };
}

/** Check a PIN on its own (a PIN-gated service other than SIP2 circulation). */
export interface VerifyPin {
  readonly type: "VerifyPin";
  readonly patron: PatronId;
  readonly pinMatches: boolean;
}

export type VerifyPinRefusal = "patron_not_found" | "pin_invalid" | "pin_locked";

/** Accepted for the right PIN; refused otherwise, the refusal still carrying the events to record. */
export function decideVerifyPin(
  command: VerifyPin,
  state: PatronState,
  policy: PinPolicy,
): Decision<PatronEvent, VerifyPinRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const { pin, events } = checkPin(command.pinMatches, state, policy);
  if (pin === "ok") return accept(events);
  return pin === "locked" ? refuse("pin_locked", undefined, events) : refuse("pin_invalid", undefined, events);
}
