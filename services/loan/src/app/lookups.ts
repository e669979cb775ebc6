import type { commands, common, hold, patron } from "@circulate/contracts";
import type { TerminalFacts } from "../domain/index.js";
import { type ItemInfo, itemInfo, type PatronInfo, patronInfo } from "./facts.js";
import { orNotFound, type Peers } from "./peers.js";

/**
 * The questions a command asks other services, each returning the deciders'
 * facts. Callers run them in parallel (`Promise.all`) before the transaction.
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

export async function foundItem(peers: Peers, ref: common.ItemRef, deadline: Date): Promise<ItemInfo> {
  if (!ref.barcode) return itemInfo(ref, undefined);
  const response = await orNotFound(peers.getItem({ key: { $case: "item", value: ref } }, deadline), { item: undefined });
  return itemInfo(ref, response.item);
}

export async function holdQueue(peers: Peers, ref: common.ItemRef, deadline: Date, titleId = ""): Promise<hold.GetQueueResponse | null> {
  if (!ref.barcode) return null;
  return peers.getQueue({ key: { $case: "item", value: ref }, itemTitleId: titleId }, deadline);
}

/** How this terminal transacts, from the envelope and the command's flags. */
export function terminalFacts(
  envelope: commands.CommandEnvelope,
  flags: { renewalAllowed: boolean; noBlock: boolean; noBlockDueDate: Date | undefined },
): TerminalFacts {
  return {
    terminalId: envelope.terminal?.account ?? "",
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
