import { type AnyEvent, type events, hold as holdpb } from "@circulate/contracts";
import type { PatronTrx } from "../adapters/db.js";
import { claimStreamPosition, deleteHold, storedHold, upsertHold } from "../adapters/peer-projections.repository.js";
import { patronIdOf } from "./peer-patron.js";

type HoldEventType =
  | "HoldPlaced"
  | "HoldChanged"
  | "HoldCancelled"
  | "HoldTrapped"
  | "HoldShelved"
  | "HoldFulfilled"
  | "HoldExpired"
  | "HoldTrapReleased";
type HoldEvent = Extract<AnyEvent, { type: HoldEventType }>;

const HOLD_EVENT_TYPES: ReadonlySet<string> = new Set<HoldEventType>([
  "HoldPlaced",
  "HoldChanged",
  "HoldCancelled",
  "HoldTrapped",
  "HoldShelved",
  "HoldFulfilled",
  "HoldExpired",
  "HoldTrapReleased",
]);
const CLOSING: ReadonlySet<string> = new Set<HoldEventType>(["HoldCancelled", "HoldFulfilled", "HoldExpired"]);
const isHoldEvent = (e: AnyEvent): e is HoldEvent => HOLD_EVENT_TYPES.has(e.type);

/**
 * A patron's active holds, kept from the hold service's events (stream per
 * title queue): each event carries the hold as it is after it (`current`),
 * which replaces the stored one; a hold that closes (fulfilled, cancelled,
 * expired) leaves. Queue positions are not taken from `current` (a hold moves
 * up when one ahead closes, an event on another hold): they are counted at
 * read time from every active hold of the queue, which is why every patron's
 * holds are kept.
 */
export async function projectHoldEvent(trx: PatronTrx, e: AnyEvent, envelope: events.EventEnvelope): Promise<void> {
  if (!isHoldEvent(e)) return;
  if (!(await claimStreamPosition(trx, "hold", envelope.streamId, envelope.streamPosition))) return;
  const holdId = e.event.holdId;
  if (CLOSING.has(e.type)) {
    await deleteHold(trx, holdId);
    return;
  }
  const before = await storedHold(trx, holdId);
  const after = e.event.current ?? holdAfter(e, before === undefined ? undefined : holdpb.Hold.fromJSON(before), envelope);
  if (!after) return;
  const placedAt = after.placedAt ?? envelope.occurredAt ?? new Date();
  await upsertHold(trx, {
    hold_id: holdId,
    patron_id: await patronIdOf(trx, after.patronId || e.event.patronId, after.patron),
    queue_stream_id: envelope.streamId,
    placed_at: placedAt,
    placed_seq: envelope.streamPosition,
    status: after.status,
    hold: JSON.stringify(holdpb.Hold.toJSON({ ...after, holdId, placedAt })),
  });
}

/**
 * The hold after an event that does not carry it (stored before events had
 * `current`): from the event's own fields and the hold as it was. Undefined
 * for a hold never placed here.
 */
export function holdAfter(e: HoldEvent, before: holdpb.Hold | undefined, envelope: events.EventEnvelope): holdpb.Hold | undefined {
  const S = holdpb.HoldStatus;
  const untrapped = { trappedItem: undefined, availableAt: undefined, pickupBy: undefined };
  switch (e.type) {
    case "HoldPlaced": {
      const p = e.event;
      return holdpb.Hold.fromPartial({
        holdId: p.holdId,
        patronId: p.patronId,
        patron: p.patron,
        holdType: p.holdType,
        item: p.item,
        itemId: p.itemId,
        titleId: p.titleId,
        title: p.title,
        pickupLocation: p.pickupLocation,
        status: S.WAITING,
        placedAt: p.placedAt ?? envelope.occurredAt,
        expiresAt: p.expiresAt,
        externalId: p.externalId,
      });
    }
    case "HoldChanged":
      return before && { ...before, pickupLocation: e.event.pickupLocation, expiresAt: e.event.expiresAt };
    case "HoldTrapped": {
      const t = e.event;
      const pickupLocation = t.pickupLocation || before?.pickupLocation || "";
      return before && { ...before, ...untrapped, status: t.inTransit ? S.IN_TRANSIT : S.AVAILABLE, trappedItem: t.item, pickupLocation };
    }
    case "HoldShelved": {
      const s = e.event;
      const trappedItem = s.item ?? before?.trappedItem;
      return before && { ...before, status: S.AVAILABLE, trappedItem, availableAt: before.availableAt ?? envelope.occurredAt, pickupBy: s.pickupBy };
    }
    case "HoldTrapReleased":
      return before && { ...before, ...untrapped, status: S.WAITING };
    default:
      return undefined;
  }
}
