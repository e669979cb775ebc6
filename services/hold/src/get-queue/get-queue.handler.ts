import { hold as holdpb } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { institutionsQueueing } from "../adapters/holds.repository.js";
import type { HoldDeps } from "../app/command.support.js";
import { resolveItem } from "../app/item-facts.js";
import { loadQueue, type QueueKey } from "../app/queue.runner.js";
import { activeViews, toProtoHold } from "../app/queue.state.js";
import { canTrap } from "../domain/index.js";
import { holdFactsForItem } from "./hold-facts.view.js";

/**
 * The queue of a title, or of the title a copy belongs to, plus what the loan
 * service's checkout and renewal decisions need about that copy: whom it is
 * trapped for, the queue length, and the holds it could fill now.
 */
export async function getQueue(deps: HoldDeps, req: holdpb.GetQueueRequest, deadline: Date): Promise<holdpb.GetQueueResponse> {
  const key = req.key;
  if (key?.$case === "titleId") {
    if (key.value === "") throw new InvalidArgumentError(["title_id is empty"]);
    const holds: holdpb.Hold[] = [];
    for (const institution of await institutionsQueueing(deps.db, key.value)) {
      const state = await loadQueue(deps.db, { institution, titleId: key.value });
      holds.push(...activeViews(state).map((v) => toProtoHold(state, v)));
    }
    return holdpb.GetQueueResponse.fromPartial({ holds, queueLength: holds.length });
  }
  if (key?.$case !== "item" || !key.value.barcode || !key.value.institutionId)
    throw new InvalidArgumentError(["item (institution_id and barcode) or title_id is required"]);

  const ref = key.value;
  // A copy scanned at another member's terminal is queued under its owner, as the item facts resolve it.
  const known = await resolveItem(deps, ref, deadline);
  const titleId = req.itemTitleId || known?.titleId;
  if (!titleId) return holdpb.GetQueueResponse.create();
  const queueKey: QueueKey = { institution: known?.institution ?? ref.institutionId, titleId };
  const state = await loadQueue(deps.db, queueKey);
  const now = deps.now().toISOString();
  const branch = known?.homeLocation ?? null;
  const facts = holdFactsForItem(state.queue, ref.barcode, titleId, now, branch);
  const proto = (holdId: string) => {
    const v = state.views.get(holdId);
    return v ? [toProtoHold(state, v)] : [];
  };
  return holdpb.GetQueueResponse.fromPartial({
    holds: activeViews(state).map((v) => toProtoHold(state, v)),
    trappedHold: facts.trappedHoldId ? proto(facts.trappedHoldId)[0] : undefined,
    queueLength: facts.titleQueueLength,
    fillableHolds: state.queue.holds.filter((h) => canTrap(h, { itemBarcode: ref.barcode, itemBranch: branch }, now)).flatMap((h) => proto(h.holdId)),
  });
}
