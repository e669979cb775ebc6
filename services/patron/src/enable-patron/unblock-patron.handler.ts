import type { patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import type { PatronApp } from "../app/context.js";
import { staffDecision } from "../app/staff-decision.js";
import { decideUnblockPatron } from "./enable-patron.decider.js";

/**
 * `Patrons.UnblockPatron`: staff lift the manual block (the rule of 25, with
 * no PIN), recorded with who and why. A patron not blocked changes nothing.
 */
export function unblockPatron(app: PatronApp, request: patronApi.UnblockPatronRequest, correlationId: string): Promise<patronApi.Patron> {
  if (request.staff.trim() === "") throw new InvalidArgumentError(["staff is required: who lifts the block is recorded"]);
  return staffDecision(app, request.patron, correlationId, (state) =>
    state.status === "registered"
      ? decideUnblockPatron({ type: "UnblockPatron", patron: state.id, staff: request.staff, reason: request.reason }, state).events
      : [],
  );
}
