import type { common, patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { findPatron } from "../adapters/patrons.repository.js";
import type { PatronEvent, PatronState } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { NotFoundError } from "./errors.js";
import { timeZoneOf } from "./facts.js";
import { decideOnPatron, readPatron } from "./patron-store.js";
import { patronMessage } from "./patron.view.js";
import { forgetPinIfChanged } from "./pin-check.js";

/** Runs a staff decision on an existing patron and returns the patron after it. */
export async function staffDecision(
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
  const after = await findPatron(app.db, ref);
  if (!after) throw new NotFoundError(`no patron ${ref.institutionId}/${ref.barcode}`);
  return patronMessage(after, await timeZoneOf(app.db, app.options, [after.home_institution, after.institution_id]));
}
