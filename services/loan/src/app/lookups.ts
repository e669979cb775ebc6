import type { commands, common, hold, patron } from "@circulate/contracts";
import type { LoanDb } from "../adapters/db.js";
import { findItem, queueHolds } from "../adapters/peer-facts.repository.js";
import type { TerminalFacts } from "../domain/index.js";
import { type ItemInfo, itemInfo, type PatronInfo, patronInfo } from "./facts.js";
import type { LoanDeps } from "./command.js";
import type { Peers } from "./peers.js";

/**
 * The facts a command gathers before its transaction: the patron's standing and
 * PIN check asked of the patron service, items and holds read from our copies
 * of those services' facts.
 */

/** The patron's standing, verifying `pin` when given. No barcode = no patron (a cancel may not name one). */
export async function verifiedPatron(
  peers: Peers,
  ref: common.PatronRef,
  pin: string | undefined,
  envelope: commands.CommandEnvelope,
  deadline: Date,
): Promise<PatronInfo> {
  if (!ref.barcode) return patronInfo(ref, null);
  // The command id keys the PIN check: every attempt of one command counts a wrong PIN once.
  const request: patron.VerifyPatronRequest = { patron: ref, pin, correlationId: envelope.commandId };
  return patronInfo(ref, await peers.verifyPatron(request, deadline));
}

/**
 * Waits until our copies of the item and hold services' facts hold everything
 * their streams held now, so a decision sees what any kiosk was already told
 * (ProjectionBehindError past the command's time).
 */
export async function peerFactsCurrent(deps: Pick<LoanDeps, "projections">, deadline: Date): Promise<void> {
  await deps.projections.caughtUp(["item", "hold"], deadline);
}

/** The item, from our copy of the item service's facts. */
export async function foundItem(db: LoanDb, ref: common.ItemRef): Promise<ItemInfo> {
  if (!ref.barcode) return itemInfo(ref, undefined);
  return itemInfo(ref, await findItem(db, ref));
}

/** The active holds of the copy's title queue at its owner, from our copy of the hold service's facts. */
export async function holdQueue(db: LoanDb, item: ItemInfo): Promise<hold.Hold[] | null> {
  if (!item.item) return null;
  return queueHolds(db, { institutionId: item.ref.institutionId, titleId: item.item.titleId });
}

/** How this terminal transacts, from the envelope and the command's flags. */
export function terminalFacts(
  envelope: commands.CommandEnvelope,
  flags: { renewalAllowed: boolean; noBlock: boolean; noBlockDueDate: Date | undefined },
): TerminalFacts {
  return {
    terminalId: envelope.terminal?.account ?? "",
    location: envelope.terminal?.location ?? "",
    renewalPolicyAllows: flags.renewalAllowed,
    noBlock: flags.noBlock,
    kioskDueDate: flags.noBlock ? (flags.noBlockDueDate ?? null) : null,
  };
}

/** The kiosk's transaction time of a no-block transaction, when it is not in the future (the events' occurred-at). */
export function offlineOccurredAt(envelope: commands.CommandEnvelope, noBlock: boolean, now: Date): Date | undefined {
  const t = envelope.terminalTime;
  return noBlock && t !== undefined && t.getTime() <= now.getTime() ? t : undefined;
}

export function patronRefOf(ref: common.PatronRef | undefined, envelope: commands.CommandEnvelope): common.PatronRef {
  return { institutionId: ref?.institutionId || envelope.institutionId, barcode: ref?.barcode ?? "", ownInstitutionOnly: ref?.ownInstitutionOnly };
}

export function itemRefOf(ref: common.ItemRef | undefined, envelope: commands.CommandEnvelope): common.ItemRef {
  return { institutionId: ref?.institutionId || envelope.institutionId, barcode: ref?.barcode ?? "", ownInstitutionOnly: ref?.ownInstitutionOnly };
}
