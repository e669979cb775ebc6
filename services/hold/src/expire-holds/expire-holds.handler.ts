import { queuesWithDueHolds } from "../adapters/holds.repository.js";
import { acceptedOnly, type HoldDeps } from "../app/command.support.js";
import { runOnQueue } from "../app/queue.runner.js";
import { decideExpireHolds } from "./expire-holds.decider.js";

/**
 * Closes holds whose time is up: waiting past their expiry (`not_filled`), or on
 * the shelf past their pickup date (`not_collected`, the copy is released).
 * Trapping already skips expired holds; this tidies the queues and tells
 * subscribers. The projection finds the queues; each is decided on its stream,
 * so replicas sweeping at once only conflict, never double-expire.
 */
export async function expireDueHolds(deps: HoldDeps, limit = 100): Promise<number> {
  const now = deps.now();
  const due = await queuesWithDueHolds(deps.db, now, limit);
  let expired = 0;
  for (const row of due) {
    const key = { institution: row.institution_id, titleId: row.title_id };
    const r = await runOnQueue(
      deps.db,
      key,
      (state) => {
        const d = acceptedOnly(decideExpireHolds({ institution: key.institution, titleKey: key.titleId }, state.queue, now.toISOString()));
        return { events: d.events, outcome: d.data.expiredHoldIds.length, at: now };
      },
      { institution: key.institution, correlationId: "expiry-sweep" },
    );
    expired += r.outcome;
  }
  if (expired > 0) deps.eventsCommitted();
  return expired;
}
