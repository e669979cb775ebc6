import { accept, type Decision, refuse } from "@circulate/domain";
import { type PatronEvent, type PatronId, type PatronState, patronEvent } from "../domain/index.js";

/** Staff lift a PIN lock without changing the PIN. */
export interface UnlockPin {
  readonly type: "UnlockPin";
  readonly patron: PatronId;
  /** Who (staff name or login): recorded, so a lifted lock can be traced to a person. */
  readonly staff: string;
}

export type UnlockPinRefusal = "patron_not_found" | "staff_required";

/** Resets the count and lifts the lock, naming who did; nothing to do when neither is set. */
export function decideUnlockPin(command: UnlockPin, state: PatronState): Decision<PatronEvent, UnlockPinRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const staff = command.staff.trim();
  if (staff === "") return refuse("staff_required", "say who lifts the lock");
  const dirty = state.pin.locked || state.pin.consecutiveFailures > 0;
  return accept(dirty ? [patronEvent("PinUnlocked", { patronId: state.patronId, staff, expired: false })] : []);
}
