import type { CommandHandler } from "@circulate/commandbus";
import { commands } from "@circulate/contracts";
import type { PatronApp } from "../app/context.js";
import { patronQueryHandler } from "../verify-patron/patron-query.js";

/**
 * 23 Patron Status: the standing after the PIN check (see patronQueryHandler), with the
 * contact data a terminal's response profile may put in the 24.
 */
export function getPatronStatusHandler(app: PatronApp): CommandHandler<"getPatronStatus"> {
  return patronQueryHandler(app, false, (_command, { state, standing }) => {
    const r = state.record;
    const value = commands.GetPatronStatusAccepted.create({ standing, email: r.email ?? "", phone: r.phone ?? "", homeAddress: r.address ?? "" });
    return { $case: "getPatronStatus", value };
  });
}
