import { commands } from "@circulate/contracts";
import type { FeeDb } from "../adapters/db.js";

/**
 * The outcome recorded for a command id, if any. Looked up before asking peers,
 * so a redelivered 37 neither asks the patron service again (a PIN check counts
 * towards the lock-out) nor changes its answer.
 */
export async function recordedOutcome(db: FeeDb, commandId: string): Promise<commands.Outcome | undefined> {
  const row = await db.selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  return row ? { ...commands.Outcome.fromJSON(row.outcome), replayed: true } : undefined;
}
