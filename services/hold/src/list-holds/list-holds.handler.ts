import { hold as holdpb } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { queuesOfPatron } from "../adapters/holds.repository.js";
import type { HoldDeps } from "../app/command.support.js";
import { loadQueue } from "../app/queue.runner.js";
import { type HoldView, isActive, toProtoHold } from "../app/queue.state.js";
import { patronKey } from "../domain/index.js";

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
  const queues = await queuesOfPatron(deps.db, pKey ? { patronKey: pKey } : { patronId: key.value as string }, req.includeClosed);

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
