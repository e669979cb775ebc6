import type { ItemEvent, TransitReason } from "./item.events.js";
import type { ItemId, ItemRecord, Location } from "./item.record.js";

export const ITEM_STATUSES = [
  "available",
  "on_loan",
  "on_hold_shelf",
  "in_transit",
  "missing",
  "lost",
  "claimed_returned",
  "in_process",
] as const;

export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Where the item is in its circulation life, with what each state needs to know. */
export type Circulation =
  | { readonly state: "available" }
  | { readonly state: "on_loan" }
  | { readonly state: "on_hold_shelf"; readonly pickup: Location }
  | { readonly state: "in_transit"; readonly destination: Location; readonly reason: TransitReason }
  | { readonly state: "missing" }
  | { readonly state: "lost" }
  | { readonly state: "claimed_returned" }
  | { readonly state: "in_process" };

export interface UnregisteredItem {
  readonly status: "unregistered";
}

export interface RegisteredItem {
  readonly status: "registered";
  readonly id: ItemId;
  readonly record: ItemRecord;
  /** Where the item physically is (or last was: during a transit, where it left from). SIP2 `AP`. */
  readonly currentLocation: Location;
  /** SIP2 `CH` as last stored by 19; `null` = never set. */
  readonly properties: string | null;
  readonly circulation: Circulation;
}

export type ItemState = UnregisteredItem | RegisteredItem;

export function initialItemState(): ItemState {
  return { status: "unregistered" };
}

/**
 * Applies one event. Tolerant: an event that does not fit the state leaves it
 * as is, because rebuilding from a stored stream must never throw. Transition
 * rules live in the deciders, not here.
 */
export function evolveItem(state: ItemState, event: ItemEvent): ItemState {
  if (event.type === "ItemRegistered") {
    const { institution, barcode, record, currentLocation } = event.data;
    return {
      status: "registered",
      id: { institution, barcode },
      record,
      currentLocation,
      properties: null,
      circulation: { state: "available" },
    };
  }
  if (state.status === "unregistered") return state;
  switch (event.type) {
    case "ItemUpdated":
      return { ...state, record: event.data.record };
    case "ItemPropertiesUpdated":
      return { ...state, properties: event.data.properties };
    case "ItemMarkedOnLoan":
      return { ...state, circulation: { state: "on_loan" } };
    case "ItemReturned":
      return { ...state, currentLocation: event.data.location, circulation: { state: "available" } };
    case "ItemPlacedOnHoldShelf":
      return { ...state, currentLocation: event.data.pickup, circulation: { state: "on_hold_shelf", pickup: event.data.pickup } };
    case "ItemSentInTransit":
      return {
        ...state,
        circulation: { state: "in_transit", destination: event.data.destination, reason: event.data.reason },
      };
    case "ItemMarkedMissing":
      return { ...state, circulation: { state: "missing" } };
    case "ItemMarkedLost":
      return { ...state, circulation: { state: "lost" } };
    case "ItemMarkedClaimedReturned":
      return { ...state, circulation: { state: "claimed_returned" } };
    case "ItemMarkedInProcess":
      return { ...state, circulation: { state: "in_process" } };
    case "ItemMarkedAvailable":
      return { ...state, circulation: { state: "available" } };
  }
}

/**
 * The event stream of one item: `item-<institution>-<barcode>`, each part
 * percent-encoded with `-` encoded too, so (a-b, c) and (a, b-c) never share
 * a stream.
 */
export function itemStreamId(id: ItemId): string {
  return `item-${encodePart(id.institution)}-${encodePart(id.barcode)}`;
}

function encodePart(value: string): string {
  return encodeURIComponent(value).replaceAll("-", "%2D");
}
