import { hold as holdpb } from "@circulate/contracts";
import type { RecordedEvent } from "@circulate/eventstore";
import type { HoldRowStatus, HoldTransaction } from "../adapters/db.js";
import { type HoldRow, putHold } from "../adapters/holds.repository.js";
import { HoldType, holdTypeCode } from "../domain/index.js";
import { evolveQueueState, type HoldView, type QueueState } from "./queue.state.js";

const ROW_STATUS: Partial<Record<holdpb.HoldStatus, HoldRowStatus>> = {
  [holdpb.HoldStatus.WAITING]: "waiting",
  [holdpb.HoldStatus.IN_TRANSIT]: "in_transit",
  [holdpb.HoldStatus.AVAILABLE]: "available",
  [holdpb.HoldStatus.FULFILLED]: "fulfilled",
  [holdpb.HoldStatus.CANCELLED]: "cancelled",
  [holdpb.HoldStatus.EXPIRED]: "expired",
};

/**
 * The inline projection: after an append, writes the `holds` row of every hold
 * the new events touched, from the queue state folded over them. Runs in the
 * appending transaction, so the rows are never behind the stream.
 */
export async function projectQueue(trx: HoldTransaction, before: QueueState, events: readonly RecordedEvent[]): Promise<QueueState> {
  const after = events.reduce(evolveQueueState, before);
  const touched = new Set(events.map((e) => (e.data as { holdId?: string } | null)?.holdId ?? ""));
  for (const id of touched) {
    const view = after.views.get(id);
    if (!view) continue;
    await putHold(trx, rowOf(after, view));
  }
  return after;
}

function rowOf(state: QueueState, v: HoldView): HoldRow {
  const code = holdTypeCode(v.holdType);
  return {
    hold_id: v.holdId,
    stream_id: state.streamId,
    institution_id: state.institution,
    title_id: state.titleId,
    title: v.title,
    patron_key: v.patronKey,
    patron_id: v.patronId,
    patron_institution: v.patron.institutionId,
    patron_barcode: v.patron.barcode,
    hold_type: v.holdType,
    target_kind: code === HoldType.specificCopy ? "item" : code === HoldType.anyCopyAtBranch ? "branch" : "title",
    item_barcode: v.item?.barcode ?? null,
    item_id: v.itemId,
    pickup_location: v.pickupLocation,
    status: ROW_STATUS[v.status] ?? "waiting",
    placed_at: v.placedAt,
    expires_at: v.expiresAt ?? null,
    trapped_item_barcode: v.trappedItem?.barcode ?? null,
    trapped_item_id: v.trappedItemId,
    trapped_at: v.trappedAt ?? null,
    available_at: v.availableAt ?? null,
    pickup_by: v.pickupBy ?? null,
    closed_at: v.closedAt ?? null,
    external_id: v.externalId === "" ? null : v.externalId,
    updated_at: new Date(),
  };
}
