import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, refusedOutcome } from "@circulate/contracts";
import { decideBlockPatron } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { standingFacts } from "./facts.js";
import { guarded, recordedOutcome, recordOutcome, runPatronCommand } from "./patron-command.js";
import { findPatron } from "./patron-lookup.js";
import { standingMessage } from "./patron.view.js";

/**
 * 01 Block Patron: stores the block (PatronBlocked) and answers with the
 * standing after it. Usage facts are best-effort here: a kiosk that kept a
 * card must get the card blocked even when the loan or fee service is down,
 * and a block denies every privilege whatever the usage says; without them
 * the 24 lacks only the usage indicators and fees owed.
 */
export function blockPatronHandler(app: PatronApp): CommandHandler<"blockPatron"> {
  return (command, env) =>
    guarded(app, env, async () => {
      const replay = await recordedOutcome(app, env);
      if (replay) return replay;
      const ref = command.patron;
      if (!ref?.barcode) return refusedOutcome(env, commands.RefusalReason.INVALID_REQUEST, "no patron barcode");
      const row = await findPatron(app.db, ref);
      if (!row) return recordOutcome(app, env, refusedOutcome(env, commands.RefusalReason.PATRON_NOT_FOUND, "no such patron"));
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
