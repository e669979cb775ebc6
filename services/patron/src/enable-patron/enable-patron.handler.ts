import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, refusedOutcome } from "@circulate/contracts";
import { commandHandler } from "@circulate/service";
import { pinLockedAfter, standingAfter } from "../domain/index.js";
import type { PatronApp } from "../app/context.js";
import { standingFacts } from "../app/facts.js";
import { commandPatron, runPatronCommand } from "../app/patron-command.js";
import { standingMessage } from "../app/patron.view.js";
import { decideEnablePatron } from "./enable-patron.decider.js";

/**
 * 25 Patron Enable: lifts the manual block (PatronEnabled) and only that, and
 * answers with the standing after it. Usage facts are required: the 26 tells
 * the kiosk what the patron may do now, and without loan and fee it could
 * wrongly say "may borrow". A PIN, when sent, must be right; a wrong one is
 * refused PATRON_PIN_INVALID and still counted.
 */
export function enablePatronHandler(app: PatronApp): CommandHandler<"enablePatron"> {
  return commandHandler(app, async (command, env) => {
    const found = await commandPatron(app, env, command.patron);
    if (found.done) return found.done;
    const { row, ref } = found;
    return runPatronCommand(app, env, row, {
      pin: command.pin,
      usage: "required",
      withHolds: false,
      decide: ({ state, policy, usage, pin, now }) => {
        const facts = { ...standingFacts(policy, usage), pinPolicy: policy.pinPolicy };
        const d = decideEnablePatron({ type: "EnablePatron", patron: state.id, pinMatches: pin.pinMatches }, state, facts, now);
        if (d.outcome === "accepted") {
          const pinCheck = pin.pinMatches === undefined ? "not_checked" : "ok";
          const pinLocked = pinLockedAfter(state, d.events, policy.pinPolicy, now);
          const standing = standingMessage({ ref, patron: state, standing: d.data.standing, pin: pinCheck, pinLocked, usage });
          return { events: d.events, outcome: acceptedOutcome(env, { $case: "enablePatron", value: { standing } }, now) };
        }
        const reason =
          d.reason === "pin_locked"
            ? commands.RefusalReason.PATRON_PIN_LOCKED
            : d.reason === "pin_invalid"
              ? commands.RefusalReason.PATRON_PIN_INVALID
              : commands.RefusalReason.PATRON_NOT_FOUND;
        const standing = standingMessage({
          ref,
          patron: state,
          standing: standingAfter(state, d.events, facts, now),
          pin: d.reason === "pin_locked" ? "locked" : "wrong",
          pinLocked: pinLockedAfter(state, d.events, policy.pinPolicy, now),
          usage,
        });
        return { events: d.events, outcome: refusedOutcome(env, reason, `enable refused: ${d.reason}`, { patron: standing }, now) };
      },
    });
  });
}
