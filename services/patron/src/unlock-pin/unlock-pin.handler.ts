import type { patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import type { PatronApp } from "../app/context.js";
import { staffDecision } from "../app/staff-decision.js";
import { decideUnlockPin } from "./unlock-pin.decider.js";

/**
 * `Patrons.UnlockPin`: staff lift a PIN lock (and reset the count), recorded
 * with who did it; besides a new PIN and the lock time passing, the only way.
 */
export function unlockPin(app: PatronApp, request: patronApi.UnlockPinRequest, correlationId: string): Promise<patronApi.Patron> {
  if (request.staff.trim() === "") throw new InvalidArgumentError(["staff is required: who lifts the lock is recorded"]);
  return staffDecision(app, request.patron, correlationId, (state) =>
    state.status === "registered" ? decideUnlockPin({ type: "UnlockPin", patron: state.id, staff: request.staff }, state).events : [],
  );
}
