import type { common, patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import {
  decideReportCardFound,
  decideReportCardLost,
  decideUnlockPin,
  type PatronEvent,
  type PatronState,
} from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { NotFoundError } from "./errors.js";
import { timeZoneOf } from "./facts.js";
import { findPatron } from "./patron-lookup.js";
import { decideOnPatron, readPatron } from "./patron-store.js";
import { patronMessage } from "./patron.view.js";
import { forgetPinIfChanged } from "./pin-check.js";

/** Runs a staff decision on an existing patron and returns the patron after it. */
async function staffDecision(
  app: PatronApp,
  ref: common.PatronRef | undefined,
  correlationId: string,
  decide: (state: PatronState) => readonly PatronEvent[],
): Promise<patronApi.Patron> {
  if (!ref?.barcode) throw new InvalidArgumentError(["patron.barcode is required"]);
  const row = await findPatron(app.db, ref);
  if (!row) throw new NotFoundError(`no patron ${ref.institutionId}/${ref.barcode}`);
  const read = await readPatron(app.db, row.stream_id);
  if (read.status !== "registered") throw new NotFoundError(`no patron ${ref.institutionId}/${ref.barcode}`);
  const result = await decideOnPatron(app.db, {
    streamId: row.stream_id,
    metadata: { institution: read.id.institution, correlationId },
    terminalAccount: "",
    decide: (state) => ({ events: decide(state), outcome: null }),
  });
  forgetPinIfChanged(app, row.stream_id, result.events);
  if (result.events.length > 0) app.eventsCommitted();
  return getPatronMessage(app, ref);
}

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

/** `Patrons.SetCardLost`: the card was reported lost (denies everything) or found again. */
export function setCardLost(app: PatronApp, request: patronApi.SetCardLostRequest, correlationId: string): Promise<patronApi.Patron> {
  return staffDecision(app, request.patron, correlationId, (state) => {
    if (state.status !== "registered") return [];
    return request.lost
      ? decideReportCardLost({ type: "ReportCardLost", patron: state.id }, state).events
      : decideReportCardFound({ type: "ReportCardFound", patron: state.id }, state).events;
  });
}

/** `Patrons.GetPatron` by ref (with the consortium look-up) or by id. */
export async function getPatronMessage(app: PatronApp, ref: common.PatronRef): Promise<patronApi.Patron> {
  const row = await findPatron(app.db, ref);
  if (!row) throw new NotFoundError(`no patron ${ref.institutionId}/${ref.barcode}`);
  return patronMessage(row, await timeZoneOf(app.db, app.options, [row.home_institution, row.institution_id]));
}
