import { accept, type Decision, refuse } from "@circulate/domain";
import { type PatronEvent, patronEvent } from "./unpublished-fields.js";
import type { PatronId } from "./patron.record.js";
import type { PatronState } from "./patron.state.js";

/** Staff or an import set a new PIN. The app hashes it first; the domain never sees the PIN. */
export interface SetPin {
  readonly type: "SetPin";
  readonly patron: PatronId;
  readonly pinHash: string;
}

/** Staff lift a PIN lock without changing the PIN. */
export interface UnlockPin {
  readonly type: "UnlockPin";
  readonly patron: PatronId;
  /** Who (staff name or login): recorded, so a lifted lock can be traced to a person. */
  readonly staff: string;
}

export type SetPinRefusal = "patron_not_found" | "invalid_pin_hash";
export type UnlockPinRefusal = "patron_not_found" | "staff_required";

/**
 * Stores the new hash and clears the wrong-PIN count and lock. Always emits:
 * hashes are salted, so two hashes of the same PIN differ and "unchanged"
 * cannot be seen here. An importer that re-sends PINs should `verify` the
 * plain PIN against the stored hash first and only send SetPin on a mismatch.
 */
export function decideSetPin(command: SetPin, state: PatronState): Decision<PatronEvent, SetPinRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  if (command.pinHash === "") return refuse("invalid_pin_hash", "empty hash");
  return accept([patronEvent("PinChanged", { patronId: state.patronId, pinHash: command.pinHash })]);
}

/** Resets the count and lifts the lock, naming who did; nothing to do when neither is set. */
export function decideUnlockPin(command: UnlockPin, state: PatronState): Decision<PatronEvent, UnlockPinRefusal> {
  if (state.status === "unregistered") return refuse("patron_not_found");
  const staff = command.staff.trim();
  if (staff === "") return refuse("staff_required", "say who lifts the lock");
  const dirty = state.pin.locked || state.pin.consecutiveFailures > 0;
  return accept(dirty ? [patronEvent("PinUnlocked", { patronId: state.patronId, staff, expired: false })] : []);
}
