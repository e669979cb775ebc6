import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, type common, refusedOutcome } from "@circulate/contracts";
import type { PatronRow } from "../adapters/db.js";
import { decideVerifyPatron } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { standingFacts } from "./facts.js";
import { guarded, recordedOutcome, recordOutcome, runPatronCommand } from "./patron-command.js";
import { findPatron } from "./patron-lookup.js";
import { standingMessage, unknownStandingMessage } from "./patron.view.js";

type Envelope = commands.CommandEnvelope;

/**
 * Before any 23/63 work: a replayed command, a missing barcode, or an unknown
 * patron (refused PATRON_NOT_FOUND, with the unknown standing for the 24/64,
 * and recorded so a repeat gets the same answer).
 */
export async function patronQueryPreamble(
  app: PatronApp,
  env: Envelope,
  patron: common.PatronRef | undefined,
  pinGiven: boolean,
): Promise<{ done: commands.Outcome } | { done?: undefined; row: PatronRow; ref: common.PatronRef }> {
  const replay = await recordedOutcome(app, env);
  if (replay) return { done: replay };
  if (!patron?.barcode) {
    return { done: refusedOutcome(env, commands.RefusalReason.INVALID_REQUEST, "no patron barcode") }
  }
  const row = await findPatron(app.db, patron);
  if (!row) {
    const refusal = refusedOutcome(env, commands.RefusalReason.PATRON_NOT_FOUND, "no such patron", {
      patron: unknownStandingMessage(patron, pinGiven),
    });
    return { done: await recordOutcome(app, env, refusal) }
  }
  return { row, ref: patron }
}

/**
 * 23 Patron Status. A found patron is always accepted, a wrong PIN included:
 * the 24 reports it as CQ=N, and the failure is recorded (PinFailed) towards
 * the lock-out. Usage facts from loan and fee are required: the flags would
 * be wrong without them.
 */
export function getPatronStatusHandler(app: PatronApp): CommandHandler<"getPatronStatus"> {
  return (command, env) =>
    guarded(app, env, async () => {
      const pre = await patronQueryPreamble(app, env, command.patron, command.pin !== undefined);
      if (pre.done) return pre.done;
      return runPatronCommand(app, env, pre.row, {
        pin: command.pin,
        usage: "required",
        withHolds: false,
        decide: ({ state, policy, usage, pin, now }) => {
          const d = decideVerifyPatron(
            { type: "VerifyPatron", patron: state.id, pinMatches: pin.pinMatches },
            state,
            { ...standingFacts(policy, usage), pinPolicy: policy.pinPolicy },
            now,
          );
          if (d.outcome !== "accepted") throw new Error("verification is always accepted");
          const { standing: s, pin: p, pinLocked } = d.data;
          const standing = standingMessage({ ref: pre.ref, patron: state, standing: s, pin: p, pinLocked, usage });
          return { events: d.events, outcome: acceptedOutcome(env, { $case: "getPatronStatus", value: { standing } }, now) };
        },
      });
    });
}
