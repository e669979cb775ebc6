import { patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { isExpired, type PinCheck, pinLockInForce, type RegisteredPatron, standingOf } from "../domain/index.js";
import type { PatronApp } from "../app/context.js";
import { loadPolicyFacts, standingFacts } from "../app/facts.js";
import { findPatron } from "../adapters/patrons.repository.js";
import { decideOnPatron, readPatron, StaleFactsError } from "../app/patron-store.js";
import { assertPinFactFits, comparePin, forgetPinIfChanged } from "../app/pin-check.js";
import { limitsMessage, standingMessage, unknownStandingMessage } from "../app/patron.view.js";
import { readUsage } from "../app/usage.js";
import { decideVerifyPatron } from "./verify-patron.decider.js";

/**
 * `Patrons.VerifyPatron`, asked by loan, hold and fee before they decide: the
 * PIN check (counted towards the lock-out) and the standing from usage facts
 * (this service's projections of loan and fee events, once caught up).
 *
 * Nothing is written unless the PIN check must be recorded. Then the write is
 * idempotent per (correlation id, patron): callers send the id of the command
 * they are deciding, the same for a redelivery and for every retry of it, so a
 * wrong PIN is counted once; the recorded PIN result is reused, the standing
 * is computed afresh.
 */
export async function verifyPatron(
  app: PatronApp,
  request: patronApi.VerifyPatronRequest,
  deadline: Date,
): Promise<patronApi.VerifyPatronResponse> {
  const ref = request.patron;
  if (!ref?.barcode) throw new InvalidArgumentError(["patron.barcode is required"]);
  const row = await findPatron(app.db, ref);
  if (!row) {
    return patronApi.VerifyPatronResponse.create({ found: false, standing: unknownStandingMessage(ref, request.pin !== undefined) });
  }
  const now = app.options.now();
  for (let attempt = 1; ; attempt++) {
    const read = await readPatron(app.db, row.stream_id);
    if (read.status !== "registered") throw new Error(`patron row ${row.patron_id} has no registered stream`);
    const policy = await loadPolicyFacts(app.db, app.options, read);
    const [usage, pin] = await Promise.all([
      readUsage(app, { patronId: read.patronId, currency: policy.currency }, now, deadline, false),
      comparePin(app, row.stream_id, read, request.pin, { policy: policy.pinPolicy, now }),
    ]);
    const facts = { ...standingFacts(policy, usage), pinPolicy: policy.pinPolicy };
    const verify = { type: "VerifyPatron", patron: read.id, pinMatches: pin.pinMatches } as const;
    const first = decideVerifyPatron(verify, read, facts, now);
    if (first.outcome !== "accepted") throw new Error("verification is always accepted");
    let state: RegisteredPatron = read;
    let pinCheck: PinCheck = first.data.pin;
    if (first.events.length > 0) {
      try {
        const result = await decideOnPatron<{ pin: PinCheck }>(app.db, {
          streamId: row.stream_id,
          commandId: request.correlationId ? `VerifyPatron:${request.correlationId}:${row.stream_id}` : undefined,
          deadline,
          metadata: { institution: read.id.institution, correlationId: request.correlationId },
          terminalAccount: "",
          decide: (current) => {
            assertPinFactFits(current, pin);
            const d = decideVerifyPatron(verify, current, facts, now);
            return { events: d.events, outcome: { pin: d.outcome === "accepted" ? d.data.pin : "wrong" } };
          },
        });
        forgetPinIfChanged(app, row.stream_id, result.events);
        if (result.events.length > 0) app.eventsCommitted();
        pinCheck = result.outcome.pin;
        const after = result.after ?? (await readPatron(app.db, row.stream_id));
        if (after.status === "registered") state = after;
      } catch (error) {
        if (error instanceof StaleFactsError && attempt < 3) continue;
        throw error;
      }
    }
    const standing = standingOf(state, facts, now);
    const pinLocked = pinLockInForce(state.pin, policy.pinPolicy, now);
    return patronApi.VerifyPatronResponse.create({
      found: true,
      standing: standingMessage({ ref, patron: state, standing, pin: pinCheck, pinLocked, usage }),
      pinLocked,
      patronType: state.record.patronType,
      limits: limitsMessage(policy),
      blocked: state.block !== null,
      expired: isExpired(state.record, now, policy.timeZone),
      homeLocation: state.record.homeInstitution,
    });
  }
}
