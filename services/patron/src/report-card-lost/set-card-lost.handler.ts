import type { patron as patronApi } from "@circulate/contracts";
import type { PatronApp } from "../app/context.js";
import { staffDecision } from "../app/staff-decision.js";
import { decideReportCardFound, decideReportCardLost } from "./report-card-lost.decider.js";

/**
 * `Patrons.SetCardLost`: the card was reported lost (denies everything) or
 * found again, recorded with who did it. Callers written before `staff`
 * existed send none: still applied (refusing would break them), recorded as
 * empty and logged so they can be found.
 */
export function setCardLost(app: PatronApp, request: patronApi.SetCardLostRequest, correlationId: string): Promise<patronApi.Patron> {
  const staff = request.staff.trim();
  if (staff === "") app.logger.warn({ institution: request.patron?.institutionId, lost: request.lost }, "SetCardLost without staff: the change names no one");
  return staffDecision(app, request.patron, correlationId, (state) => {
    if (state.status !== "registered") return [];
    return request.lost
      ? decideReportCardLost({ type: "ReportCardLost", patron: state.id, staff }, state).events
      : decideReportCardFound({ type: "ReportCardFound", patron: state.id, staff }, state).events;
  });
}
