import { accept, type Decision, refuse } from "@circulate/domain";
import { checkPin, type PatronEvent, type PatronId, type PatronState, type PinPolicy } from "../domain/index.js";

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
  now: Date,
): Decision<PatronEvent, VerifyPinRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const { pin, events } = checkPin(command.pinMatches, state, policy, now);
  if (pin === "ok") return accept(events);
  return pin === "locked" ? refuse("pin_locked", undefined, events) : refuse("pin_invalid", undefined, events);
}
