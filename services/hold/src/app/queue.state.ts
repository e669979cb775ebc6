import { type common, type DomainEvent, fromStoredEvent, hold as holdpb } from "@circulate/contracts";
import type { EventMetadata, RecordedEvent } from "@circulate/eventstore";
import { evolve, type HoldQueue, holdQueueStreamId, initialHoldQueue, patronKey, positionOf } from "../domain/index.js";

type HoldEvent = DomainEvent<"hold">;

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

/** Folds one stored event; an event of a type this build does not know changes nothing. */
export function evolveQueueState(state: QueueState, event: Pick<RecordedEvent, "type" | "data" | "occurredAt"> & { metadata?: EventMetadata }): QueueState {
  const e = fromStoredEvent("hold", event);
  return e ? apply(state, e, new Date(event.occurredAt), event.metadata) : state;
}

function apply(state: QueueState, event: HoldEvent, at: Date, metadata: EventMetadata | undefined): QueueState {
  // A HoldPlaced stored without placedAt was placed when it was recorded.
  const e: HoldEvent = event.type === "HoldPlaced" && !event.data.placedAt ? { ...event, data: { ...event.data, placedAt: at } } : event;
  const queue = evolve(state.queue, e);
  const next = nextView(state.views, e, at);
  if (!next) return { ...state, queue };
  const view = e.type === "HoldPlaced" || fromImport(metadata) ? next : { ...next, circulatedSinceImport: true };
  const views = new Map(state.views);
  views.set(view.holdId, view);
  return { ...state, queue, views };
}

function nextView(views: ReadonlyMap<string, HoldView>, e: HoldEvent, at: Date): HoldView | undefined {
  if (e.type === "HoldPlaced") {
    const m = e.data;
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
  const v = views.get(e.data.holdId);
  if (!v) return undefined;
  const untrapped = { trappedItem: undefined, trappedItemId: "", trappedAt: undefined, availableAt: undefined, pickupBy: undefined };
  switch (e.type) {
    case "HoldChanged":
      return { ...v, pickupLocation: e.data.pickupLocation, expiresAt: e.data.expiresAt };
    case "HoldCancelled":
      return { ...v, status: holdpb.HoldStatus.CANCELLED, closedAt: at };
    case "HoldTrapped": {
      const m = e.data;
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
      return { ...v, status: holdpb.HoldStatus.AVAILABLE, availableAt: v.availableAt ?? at, pickupBy: e.data.pickupBy };
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
 */
export function withCurrent(before: QueueState, events: readonly HoldEvent[], at: Date, metadata?: EventMetadata): HoldEvent[] {
  let state = before;
  return events.map((e) => {
    state = apply(state, e, at, metadata);
    const view = state.views.get(e.data.holdId);
    return view ? ({ ...e, data: { ...e.data, current: toProtoHold(state, view) } } as HoldEvent) : e;
  });
}

/** Folds events not stored yet (the import decides record by record on the queue it is building). */
export function evolveQueueStateWith(state: QueueState, events: readonly HoldEvent[], at: Date, metadata?: EventMetadata): QueueState {
  return events.reduce((s, e) => apply(s, e, at, metadata), state);
}
