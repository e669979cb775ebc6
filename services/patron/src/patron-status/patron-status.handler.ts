import type { CommandHandler } from "@circulate/commandbus";
import type { PatronApp } from "../app/context.js";
import { patronQueryHandler } from "../verify-patron/patron-query.js";

/** 23 Patron Status: the standing after the PIN check (see patronQueryHandler). */
export function getPatronStatusHandler(app: PatronApp): CommandHandler<"getPatronStatus"> {
  return patronQueryHandler(app, false, (_command, { standing }) => ({ $case: "getPatronStatus", value: { standing } }));
}
