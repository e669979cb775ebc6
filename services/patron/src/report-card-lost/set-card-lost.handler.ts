import type { patron as patronApi } from "@circulate/contracts";
import type { PatronApp } from "../app/context.js";
import { staffDecision } from "../app/staff-decision.js";
import { decideReportCardFound, decideReportCardLost } from "./report-card-lost.decider.js";

/** `Patrons.SetCardLost`: the card was reported lost (denies everything) or found again. */
export function setCardLost(app: PatronApp, request: patronApi.SetCardLostRequest, correlationId: string): Promise<patronApi.Patron> {
  return staffDecision(app, request.patron, correlationId, (state) => {
    if (state.status !== "registered") return [];
    return request.lost
      ? decideReportCardLost({ type: "ReportCardLost", patron: state.id }, state).events
      : decideReportCardFound({ type: "ReportCardFound", patron: state.id }, state).events;
  });
}
