import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome } from "@circulate/contracts";

/**
 * 35 End Patron Session: always accepted, no event, nothing read or written,
 * known patron or not (see `decideEndPatronSession` for why). The PIN is not
 * checked: that would cost a scrypt and could count towards a lock for a
 * session that is over either way. Idempotent by nature, so no outcome is
 * recorded.
 */
export const endPatronSessionHandler: CommandHandler<"endPatronSession"> = async (_command, env) =>
  acceptedOutcome(env, { $case: "endPatronSession", value: {} });
