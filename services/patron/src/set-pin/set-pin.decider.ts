import { accept, type Decision, refuse } from "@circulate/domain";
import { type PatronEvent, type PatronId, type PatronState, patronEvent } from "../domain/index.js";

/** Staff or an import set a new PIN. The app hashes it first; the domain never sees the PIN. */
export interface SetPin {
  readonly type: "SetPin";
  readonly patron: PatronId;
  readonly pinHash: string;
}

export type SetPinRefusal = "patron_not_found" | "invalid_pin_hash";

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
