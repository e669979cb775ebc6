import { type commands, type common, type patron, refusedOutcome } from "@circulate/contracts";
import { peerDeadline, recordOutcome } from "@circulate/service";
import { patronQueue, patronQueueOfCopy, patronQueueOfTitle, type QueueRow } from "../adapters/holds.repository.js";
import { patronGate, patronKey } from "../domain/index.js";
import { type HoldDeps, Reason } from "./command.support.js";
import { resolveItem } from "./item-facts.js";
import type { QueueKey } from "./queue.runner.js";

/** What 15 `-` and `*` send to name an existing hold. */
interface HoldRequest {
  patron: common.PatronRef | undefined;
  pin?: string | undefined;
  item: common.ItemRef | undefined;
  titleIdentifier: string;
}

export type Located =
  | { readonly found: true; readonly key: QueueKey; readonly patronKey: string; readonly item: common.ItemRef | undefined; readonly verified: patron.VerifyPatronResponse }
  | { readonly found: false; readonly outcome: commands.Outcome };

/**
 * The common first half of cancel and change: check the patron (exists, PIN)
 * while finding the queue of their hold, in parallel. Refusals found here are
 * recorded for the command id.
 */
export async function locateExistingHold(deps: HoldDeps, cmd: HoldRequest, env: commands.CommandEnvelope): Promise<Located> {
  const refuse = async (reason: commands.RefusalReason, detail: string, standing?: common.PatronStanding) => ({
    found: false as const,
    outcome: await recordOutcome(deps.db, env, refusedOutcome(env, reason, detail, { patron: standing })),
  });
  if (!cmd.patron?.barcode) return refuse(Reason.INVALID_REQUEST, "no patron identifier");
  const patronRef = { institutionId: cmd.patron.institutionId || env.institutionId, barcode: cmd.patron.barcode, ownInstitutionOnly: cmd.patron.ownInstitutionOnly };
  const item = cmd.item?.barcode ? { institutionId: cmd.item.institutionId || env.institutionId, barcode: cmd.item.barcode, ownInstitutionOnly: cmd.item.ownInstitutionOnly } : undefined;
  const titleId = cmd.titleIdentifier.trim();
  if (!item && titleId === "") return refuse(Reason.INVALID_REQUEST, "neither item nor title identifier");

  const key = patronKey(patronRef);
  const deadline = peerDeadline(env);
  const [verified, queue] = await Promise.all([
    // The command id keys the PIN check: every attempt of one command counts a wrong PIN once.
    deps.peers.verifyPatron({ patron: patronRef, pin: cmd.pin, correlationId: env.commandId }, deadline),
    locatePatronHold(deps, key, item, titleId, deadline),
  ]);
  const gate = patronGate(verified, cmd.pin !== undefined);
  if (gate) return refuse(gate.reason, gate.detail, verified.standing);
  if (!queue) return refuse(Reason.HOLD_NOT_FOUND, `no active hold of ${key} on ${titleId || item?.barcode}`, verified.standing);
  return { found: true, key: queue, patronKey: key, item, verified };
}

/**
 * The queue of the patron's active hold that a 15 `-` or `*` means. SIP2 names
 * the patron and a title or a copy, never a hold id: a copy names its own
 * copy-specific hold, the hold it is trapped for, or else its title's queue.
 */
async function locatePatronHold(
  deps: HoldDeps,
  holder: string,
  item: common.ItemRef | undefined,
  titleId: string,
  deadline: Date,
): Promise<QueueKey | null> {
  const key = (row: QueueRow | undefined) => (row ? { institution: row.institution_id, titleId: row.title_id } : null);
  if (titleId !== "") return key(await patronQueueOfTitle(deps.db, holder, titleId));
  if (!item) return null;
  const byCopy = await patronQueueOfCopy(deps.db, holder, item);
  if (byCopy) return key(byCopy);
  const known = await resolveItem(deps, item, deadline);
  if (!known) return null;
  return key(await patronQueue(deps.db, holder, { institution: item.institutionId, titleId: known.titleId }));
}
