import { type common, hold as holdpb } from "@circulate/contracts";
import type { EventMetadata, NewEvent, RecordedEvent } from "@circulate/eventstore";
import { evolve, type HoldQueue, holdQueueStreamId, initialHoldQueue, positionOf } from "../domain/index.js";
import { patronKey, readStored, type StoredHoldEvent, toDomain } from "../adapters/events.codec.js";

/** Everything the contract's `Hold` message says about one hold, folded from its queue's events. */
export interface HoldView {
  readonly holdId: string;
  readonly patronKey: string;
  readonly patronId: string;
  readonly patron: common.PatronRef;
  readonly holdType: common.HoldType;
  /** The copy asked for (copy-specific holds). */
  readonly item: common.ItemRef | undefined;
  readonly itemId: string;
  readonly title: string;
  readonly pickupLocation: string;
  readonly status: holdpb.HoldStatus;
  readonly placedAt: Date;
  readonly expiresAt: Date | undefined;
  readonly trappedItem: common.ItemRef | undefined;
  readonly trappedItemId: string;
  readonly trappedAt: Date | undefined;
  readonly availableAt: Date | undefined;
  readonly pickupBy: Date | undefined;
  readonly closedAt: Date | undefined;
  readonly externalId: string;
  /** Something other than the import (a checkin's trap, a kiosk's change) touched it after it was placed. */
  readonly circulatedSinceImport: boolean;
}

/** The metadata of events the admin import writes; how a fold tells them from circulation. */
export const IMPORT_METADATA = { correlationId: "import" } as const satisfies EventMetadata;
const fromImport = (metadata: EventMetadata | undefined) => metadata?.correlationId === IMPORT_METADATA.correlationId;

/**
 * One title queue as the app sees it: the domain's `HoldQueue` (for decisions)
 * and a view of every hold ever placed in it (for replies and projections).
 * Both fold from the same stored events.
 */
export interface QueueState {
  readonly streamId: string;
  readonly institution: string;
  readonly titleId: string;
  readonly queue: HoldQueue;
  readonly views: ReadonlyMap<string, HoldView>;
}

export function queueStreamId(institution: string, titleId: string): string {
  return holdQueueStreamId(institution, titleId);
}

export function initialQueueState(institution: string, titleId: string): QueueState {
  return { streamId: queueStreamId(institution, titleId), institution, titleId, queue: initialHoldQueue, views: new Map() };
}

export function evolveQueueState(state: QueueState, event: Pick<RecordedEvent, "type" | "data" | "occurredAt"> & { metadata?: EventMetadata }): QueueState {
  const stored = readStored(event);
  if (!stored) return state;
  const at = new Date(event.occurredAt);
  const domain = toDomain(
    stored,
    (id) => {
      const v = state.views.get(id);
      return v && { patronKey: v.patronKey, trappedBarcode: v.trappedItem?.barcode ?? null };
    },
    state.titleId,
    at.toISOString(),
  );
  const queue = domain ? evolve(state.queue, domain) : state.queue;
  const next = nextView(state.views, stored, at);
  if (!next) return { ...state, queue };
  const view = stored.type === "HoldPlaced" || fromImport(event.metadata) ? next : { ...next, circulatedSinceImport: true };
  const views = new Map(state.views);
  views.set(view.holdId, view);
  return { ...state, queue, views };
}

function nextView(views: ReadonlyMap<string, HoldView>, stored: StoredHoldEvent, at: Date): HoldView | undefined {
  if (stored.type === "HoldPlaced") {
    const m = stored.msg;
    const patron = m.patron ?? { institutionId: "", barcode: m.patronId };
    return {
      holdId: m.holdId,
      patronKey: patronKey(patron),
      patronId: m.patronId,
      patron,
      holdType: m.holdType,
      item: m.item,
      itemId: m.itemId,
      title: m.title,
      pickupLocation: m.pickupLocation,
      status: holdpb.HoldStatus.WAITING,
      placedAt: m.placedAt ?? at,
      expiresAt: m.expiresAt,
      trappedItem: undefined,
      trappedItemId: "",
      trappedAt: undefined,
      availableAt: undefined,
      pickupBy: undefined,
      closedAt: undefined,
      externalId: m.externalId,
      circulatedSinceImport: false,
    };
  }
  const v = views.get(stored.msg.holdId);
  if (!v) return undefined;
  const untrapped = { trappedItem: undefined, trappedItemId: "", trappedAt: undefined, availableAt: undefined, pickupBy: undefined };
  switch (stored.type) {
    case "HoldChanged":
      return { ...v, pickupLocation: stored.msg.pickupLocation, expiresAt: stored.msg.expiresAt };
    case "HoldCancelled":
      return { ...v, status: holdpb.HoldStatus.CANCELLED, closedAt: at };
    case "HoldTrapped": {
      const m = stored.msg;
      const same = v.trappedItem?.barcode === m.item?.barcode;
      return {
        ...v,
        status: m.inTransit ? holdpb.HoldStatus.IN_TRANSIT : holdpb.HoldStatus.AVAILABLE,
        trappedItem: m.item,
        trappedItemId: m.itemId || (same ? v.trappedItemId : ""),
        trappedAt: same && v.trappedAt ? v.trappedAt : at,
        availableAt: m.inTransit ? undefined : at,
        pickupBy: m.inTransit ? undefined : v.pickupBy,
      };
    }
    case "HoldShelved":
      return { ...v, status: holdpb.HoldStatus.AVAILABLE, availableAt: v.availableAt ?? at, pickupBy: stored.msg.pickupBy };
    case "HoldTrapReleased":
      return { ...v, status: holdpb.HoldStatus.WAITING, ...untrapped };
    case "HoldFulfilled":
      return { ...v, status: holdpb.HoldStatus.FULFILLED, closedAt: at };
    case "HoldExpired":
      return { ...v, status: holdpb.HoldStatus.EXPIRED, closedAt: at };
  }
}

export function isActive(view: HoldView): boolean {
  return view.status === holdpb.HoldStatus.WAITING || view.status === holdpb.HoldStatus.IN_TRANSIT || view.status === holdpb.HoldStatus.AVAILABLE;
}

/** The contract's `Hold`: queue position for waiting holds only (0 once a copy is trapped, as the contract says). */
export function toProtoHold(state: QueueState, view: HoldView): holdpb.Hold {
  return holdpb.Hold.fromPartial({
    holdId: view.holdId,
    patronId: view.patronId,
    patron: view.patron,
    holdType: view.holdType,
    item: view.item,
    itemId: view.itemId,
    titleId: state.titleId,
    queueInstitutionId: state.institution,
    title: view.title,
    pickupLocation: view.pickupLocation,
    status: view.status,
    queuePosition: view.status === holdpb.HoldStatus.WAITING ? (positionOf(state.queue, view.holdId) ?? 0) : 0,
    placedAt: view.placedAt,
    expiresAt: view.expiresAt,
    trappedItem: view.trappedItem,
    availableAt: view.availableAt,
    pickupBy: view.pickupBy,
    externalId: view.externalId,
  });
}

/** The active holds of the queue, in queue order. */
export function activeViews(state: QueueState): HoldView[] {
  return state.queue.holds.flatMap((h) => {
    const v = state.views.get(h.holdId);
    return v ? [v] : [];
  });
}

/**
 * The events about to be appended to the queue, each with `current`: its hold
 * as `toProtoHold` shows it once that event is applied (queue position as of
 * that event), so peers keep their copy of a hold from the events alone.
 * Events without an `occurredAt` get `now`, the time the fold used.
 */
export function withCurrent<E extends NewEvent<{ type: string; data: unknown }>>(
  before: QueueState,
  events: readonly E[],
  now: Date,
  metadata?: EventMetadata,
): E[] {
  let state = before;
  return events.map((e) => {
    const occurredAt = e.occurredAt ?? now;
    state = evolveQueueState(state, { type: e.type, data: e.data, occurredAt, metadata: { ...metadata, ...e.metadata } });
    const holdId = (e.data as { holdId?: unknown } | null)?.holdId;
    const view = typeof holdId === "string" ? state.views.get(holdId) : undefined;
    if (!view) return { ...e, occurredAt };
    return { ...e, occurredAt, data: { ...(e.data as object), current: holdpb.Hold.toJSON(toProtoHold(state, view)) } };
  });
}
