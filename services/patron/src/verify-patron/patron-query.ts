import type { CommandHandler } from "@circulate/commandbus";
import { type AcceptedPayload, acceptedOutcome, type CommandOf, type common } from "@circulate/contracts";
import { commandHandler } from "@circulate/service";
import type { PatronApp } from "../app/context.js";
import { standingFacts, type UsageFacts } from "../app/facts.js";
import { commandPatron, type PatronCommandFacts, runPatronCommand } from "../app/patron-command.js";
import { standingMessage, unknownStandingMessage } from "../app/patron.view.js";
import type { Standing } from "../domain/index.js";
import { decideVerifyPatron } from "./verify-patron.decider.js";

type PatronQuery = "getPatronStatus" | "getPatronInformation";

/** What a 23 or 63 answers from: the facts it was decided on and the standing after the PIN check. */
export interface VerifiedPatron extends PatronCommandFacts {
  readonly usage: UsageFacts;
  readonly standing: common.PatronStanding;
  /** The same standing in domain terms (its causes), for what the message does not carry. */
  readonly causes: Standing;
}

/**
 * 23 and 63. A found patron is always accepted, a wrong PIN included: the
 * 24/64 reports it as CQ=N, and the failure is recorded (PinFailed) towards
 * the lock-out. Usage facts are required: the flags would be wrong without
 * them. An unknown patron is refused PATRON_NOT_FOUND with the unknown
 * standing. `answer` builds the accepted payload.
 */
export function patronQueryHandler<C extends PatronQuery>(
  app: PatronApp,
  withHolds: boolean,
  answer: (command: CommandOf<C>, verified: VerifiedPatron) => AcceptedPayload,
): CommandHandler<C> {
  return commandHandler(app, async (command, env) => {
    const { patron, pin } = command as CommandOf<PatronQuery>;
    const found = await commandPatron(app, env, patron, patron ? { patron: unknownStandingMessage(patron, pin !== undefined) } : {});
    if (found.done) return found.done;
    return runPatronCommand(app, env, found.row, {
      pin,
      usage: "required",
      withHolds,
      decide: (facts) => {
        const { state, policy, usage, now } = facts;
        const d = decideVerifyPatron(
          { type: "VerifyPatron", patron: state.id, pinMatches: facts.pin.pinMatches },
          state,
          { ...standingFacts(policy, usage), pinPolicy: policy.pinPolicy },
          now,
        );
        if (d.outcome !== "accepted" || !usage) throw new Error("verification is always accepted; usage is required");
        const { standing: s, pin: p, pinLocked } = d.data;
        const standing = standingMessage({ ref: found.ref, patron: state, standing: s, pin: p, pinLocked, usage });
        return { events: d.events, outcome: acceptedOutcome(env, answer(command, { ...facts, usage, standing, causes: s }), now) };
      },
    });
  });
}
