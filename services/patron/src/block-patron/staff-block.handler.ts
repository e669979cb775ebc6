import type { patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import type { PatronApp } from "../app/context.js";
import { staffDecision } from "../app/staff-decision.js";
import { decideBlock } from "./block-patron.decider.js";

/**
 * `Patrons.BlockPatron`: staff set the manual block with the rule of 01
 * (the same message again changes nothing), recorded with who and why. The
 * card is not retained: that is a kiosk's doing.
 */
export function staffBlockPatron(app: PatronApp, request: patronApi.BlockPatronRequest, correlationId: string): Promise<patronApi.Patron> {
  const problems = [
    ...(request.staff.trim() === "" ? ["staff is required: who blocks is recorded"] : []),
    ...(request.reason.trim() === "" ? ["reason is required: staff see it with the block"] : []),
  ];
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  return staffDecision(app, request.patron, correlationId, (state) =>
    state.status === "registered"
      ? decideBlock({ type: "BlockPatron", patron: state.id, cardRetained: false, message: request.reason.trim(), terminalAccount: "", staff: request.staff }, state)
          .events
      : [],
  );
}
