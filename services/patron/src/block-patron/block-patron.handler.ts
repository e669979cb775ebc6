import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome } from "@circulate/contracts";
import { commandHandler } from "@circulate/service";
import type { PatronApp } from "../app/context.js";
import { standingFacts } from "../app/facts.js";
import { commandPatron, runPatronCommand } from "../app/patron-command.js";
import { standingMessage } from "../app/patron.view.js";
import { decideBlockPatron } from "./block-patron.decider.js";

/**
 * 01 Block Patron: stores the block (PatronBlocked) and answers with the
 * standing after it. Usage facts are best-effort here: a kiosk that kept a
 * card must get the card blocked even when the loan or fee service is down,
 * and a block denies every privilege whatever the usage says; without them
 * the 24 lacks only the usage indicators and fees owed.
 */
export function blockPatronHandler(app: PatronApp): CommandHandler<"blockPatron"> {
  return commandHandler(app, async (command, env) => {
    const found = await commandPatron(app, env, command.patron);
    if (found.done) return found.done;
    const { row, ref } = found;
    return runPatronCommand(app, env, row, {
      pin: undefined,
      usage: "best-effort",
      withHolds: false,
      decide: ({ state, policy, usage, now }) => {
        const d = decideBlockPatron(
          {
            type: "BlockPatron",
            patron: state.id,
            cardRetained: command.cardRetained,
            message: command.message,
            terminalAccount: env.terminal?.account ?? "",
            staff: "",
          },
          state,
          standingFacts(policy, usage),
          now,
        );
        if (d.outcome !== "accepted") throw new Error(`block refused on a registered patron: ${d.reason}`);
        const standing = standingMessage({ ref, patron: state, standing: d.data.standing, pin: "not_checked", usage });
        return { events: d.events, outcome: acceptedOutcome(env, { $case: "blockPatron", value: { standing } }, now) };
      },
    });
  });
}
