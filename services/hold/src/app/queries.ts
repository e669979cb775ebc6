import { hold as holdpb } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { ACTIVE_STATUSES } from "../adapters/db.js";
import { canTrap, holdFactsForItem, patronKey } from "../domain/index.js";
import type { HoldDeps } from "./command.support.js";
import { resolveItem } from "./item-facts.js";
import { type QueueKey, loadQueue } from "./queue.runner.js";
import { activeViews, type HoldView, isActive, toProtoHold } from "./queue.state.js";

/**
 * A patron's holds (for 63/64 in the patron service), folded from the queues
 * the projection says they are in, so positions are exact. Counts follow the
 * contract (proto/README "Hold counts"): available = on the shelf or in
 * transit to it; unavailable = still waiting. Each hold's status tells them apart.
 */
export async function listHolds(deps: HoldDeps, req: holdpb.ListHoldsRequest): Promise<holdpb.ListHoldsResponse> {
  const key = req.key;
  if (!key || (key.$case === "patron" && !key.value.barcode) || (key.$case === "patronId" && key.value === ""))
    throw new InvalidArgumentError(["patron (institution_id and barcode) or patron_id is required"]);
  const pKey = key.$case === "patron" ? patronKey(key.value) : undefined;
  let query = deps.db.selectFrom("holds").select(["institution_id", "title_id"]).distinct();
  query = pKey ? query.where("patron_key", "=", pKey) : query.where("patron_id", "=", key.value as string);
  if (!req.includeClosed) query = query.where("status", "in", ACTIVE_STATUSES);
  const queues = await query.execute();

  const mine = (v: HoldView) => (pKey ? v.patronKey === pKey : v.patronId === key.value);
  const holds: holdpb.Hold[] = [];
  for (const q of queues) {
    const state = await loadQueue(deps.db, { institution: q.institution_id, titleId: q.title_id });
    for (const v of state.views.values()) if (mine(v) && (req.includeClosed || isActive(v))) holds.push(toProtoHold(state, v));
  }
  holds.sort((a, b) => (a.placedAt?.getTime() ?? 0) - (b.placedAt?.getTime() ?? 0));
  const count = (...s: holdpb.HoldStatus[]) => holds.filter((h) => s.includes(h.status)).length;
  return {
    holds,
    availableCount: count(holdpb.HoldStatus.AVAILABLE, holdpb.HoldStatus.IN_TRANSIT),
    unavailableCount: count(holdpb.HoldStatus.WAITING),
  };
}

/**
 * The queue of a title, or of the title a copy belongs to, plus what the loan
 * service's checkout and renewal decisions need about that copy: whom it is
 * trapped for, the queue length, and the holds it could fill now.
 */
export async function getQueue(deps: HoldDeps, req: holdpb.GetQueueRequest, deadline: Date): Promise<holdpb.GetQueueResponse> {
  const key = req.key;
  if (key?.$case === "titleId") {
    if (key.value === "") throw new InvalidArgumentError(["title_id is empty"]);
    const rows = await deps.db.selectFrom("holds").select("institution_id").distinct().where("title_id", "=", key.value).execute();
    const holds: holdpb.Hold[] = [];
    for (const r of rows) {
      const state = await loadQueue(deps.db, { institution: r.institution_id, titleId: key.value });
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
