import { common, hold as holdpb } from "@circulate/contracts";
import { ProjectionBehindError } from "@circulate/service";
import { encodeEvents } from "../adapters/events.codec.js";
import { AlertType, decideTrapOnCheckin } from "../domain/index.js";
import { acceptedOnly, type HoldDeps, shelfExpiry } from "./command.support.js";
import { InvalidArgumentError } from "./errors.js";
import { type KnownItem, resolveItem } from "./item-facts.js";
import { runCommandOnQueue } from "./queue.runner.js";
import { evolveQueueState, queueStreamId, toProtoHold } from "./queue.state.js";

const DEFAULT_BUDGET_MS = 5_000;

/**
 * Asked by the loan service at every check-in (09); asks nobody (the copy's
 * title and home branch come from the item facts). The first eligible hold in
 * queue order traps the copy. Exactly once per check-in: the answer is recorded
 * under `trap:<check_in_id>`, so a retried call gets the same trap back and
 * appends nothing.
 */
export async function trapOnCheckin(deps: HoldDeps, req: holdpb.TrapOnCheckinRequest, deadline?: Date): Promise<holdpb.TrapOnCheckinResponse> {
  if (req.checkInId === "") throw new InvalidArgumentError("check_in_id is required (the check-in's command id)");
  const ref = req.item;
  if (!ref?.barcode || !ref.institutionId) throw new InvalidArgumentError("item with institution_id and barcode is required");
  if (req.location === "") throw new InvalidArgumentError("location (where the copy was checked in) is required");
  const commandId = `trap:${req.checkInId}`;
  const recorded = await deps.db.selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  if (recorded) return holdpb.TrapOnCheckinResponse.fromJSON(recorded.outcome);

  const budget = deadline ? deadline.getTime() - deps.now().getTime() : DEFAULT_BUDGET_MS;
  const known = await copyFacts(deps, req, budget);
  const queueTitle = req.titleId || known?.titleId;
  // A copy nobody knows has no queue: nothing to trap.
  if (queueTitle === undefined) return holdpb.TrapOnCheckinResponse.create();
  const item = { itemId: req.itemId || known?.itemId || "", homeLocation: known?.homeLocation ?? null };

  const now = deps.now();
  const key = { institution: ref.institutionId, titleId: queueTitle };
  const result = await runCommandOnQueue(
    deps.db,
    { commandId, deadline, key, metadata: { institution: ref.institutionId, correlationId: req.checkInId, causationId: req.checkInId } },
    (state) => {
      const d = acceptedOnly(decideTrapOnCheckin(
        { itemBarcode: ref.barcode, itemBranch: item.homeLocation, titleKey: queueTitle, checkinLocation: req.location },
        state.queue,
        { shelfExpiresAt: shelfExpiry(now, deps.settings) },
        now.toISOString(),
      ));
      const events = encodeEvents(d.events, {
        institution: key.institution,
        titleId: key.titleId,
        party: (id) => state.views.get(id),
        itemIds: new Map([[ref.barcode, item.itemId]]),
        checkInId: req.checkInId,
        occurredAt: now,
      });
      if (!d.data.trapped) return { events, outcome: holdpb.TrapOnCheckinResponse.toJSON(holdpb.TrapOnCheckinResponse.create()) };
      const after = events.reduce((s, e) => evolveQueueState(s, { ...e, occurredAt: now }), state);
      const view = after.views.get(d.data.holdId);
      const response = holdpb.TrapOnCheckinResponse.create({
        hold: view && toProtoHold(after, view),
        inTransit: d.data.disposition === "in_transit",
        alertType: d.data.alertType === AlertType.holdForThisLibrary ? common.AlertType.LOCAL_HOLD : common.AlertType.REMOTE_HOLD,
        destination: d.data.destination,
      });
      return { events, outcome: holdpb.TrapOnCheckinResponse.toJSON(response) };
    },
  );
  if (result.appended > 0) deps.eventsCommitted();
  return holdpb.TrapOnCheckinResponse.fromJSON(result.outcome);
}

/**
 * The copy as the item facts know it. Facts still behind do not hold up a
 * check-in that names the copy's title, unless a type-4 hold waits on it:
 * only those need the copy's home branch.
 */
async function copyFacts(deps: HoldDeps, req: holdpb.TrapOnCheckinRequest, budgetMs: number): Promise<KnownItem | undefined> {
  const ref = req.item!;
  try {
    return await resolveItem(deps, ref, budgetMs);
  } catch (err) {
    if (!(err instanceof ProjectionBehindError) || req.titleId === "") throw err;
    if (await hasWaitingBranchHolds(deps, ref.institutionId, req.titleId)) throw err;
    deps.logger.warn({ err, checkInId: req.checkInId }, "copy unknown while item facts are behind; trapping by the check-in's title");
    return undefined;
  }
}

async function hasWaitingBranchHolds(deps: HoldDeps, institution: string, titleId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom("holds")
    .select("hold_id")
    .where("stream_id", "=", queueStreamId(institution, titleId))
    .where("status", "=", "waiting")
    .where("target_kind", "=", "branch")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
