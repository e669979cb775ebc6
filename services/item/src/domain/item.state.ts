import type { DomainEvent } from "@circulate/contracts";
import type { ItemId, ItemRecord, Location } from "./item.record.js";
import { recordOf, transitReasonFromProto } from "./proto-codes.js";

/**
 * The item's events are the messages of proto/library/item/v1/events.proto,
 * as deciders emit them and the store keeps them. Each state change moves the
 * item to exactly one circulation state, so a projection can follow `type` alone.
 */
export type ItemEvent = DomainEvent<"item">;

/** Why an item travels: home to its owner after a return elsewhere, to a hold's pickup location, or on staff's say-so. */
export type TransitReason = "return_home" | "hold" | "manual";

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
 * as is, because rebuilding from a stored stream must never throw; so does a
 * type this service never records. Transition rules live in the deciders.
 */
export function evolveItem(state: ItemState, event: ItemEvent): ItemState {
  if (event.type === "ItemRegistered") {
    const e = event.data;
    const record = recordOf(e);
    return {
      status: "registered",
      id: { institution: e.item?.institutionId ?? "", barcode: e.item?.barcode ?? "" },
      record,
      // Registrations stored before they said where the item is: at home.
      currentLocation: { institution: e.currentInstitutionId || record.owner, location: e.currentLocation || record.permanentLocation },
      properties: null,
      circulation: { state: "available" },
    };
  }
  if (state.status === "unregistered") return state;
  switch (event.type) {
    case "ItemDetailsUpdated":
      return { ...state, record: recordOf(event.data) };
    case "ItemStatusUpdated":
      return { ...state, properties: event.data.properties };
    case "ItemMarkedOnLoan":
      return { ...state, circulation: { state: "on_loan" } };
    case "ItemReturned": {
      const { institutionId, location } = event.data;
      return { ...state, currentLocation: { institution: institutionId, location }, circulation: { state: "available" } };
    }
    case "ItemPlacedOnHoldShelf": {
      const pickup = { institution: event.data.pickupInstitutionId, location: event.data.pickupLocation };
      return { ...state, currentLocation: pickup, circulation: { state: "on_hold_shelf", pickup } };
    }
    case "ItemTransitStarted": {
      const { toInstitutionId, toLocation, reason } = event.data;
      const destination = { institution: toInstitutionId, location: toLocation };
      return { ...state, circulation: { state: "in_transit", destination, reason: transitReasonFromProto(reason) } };
    }
    case "ItemMarkedMissing":
      return { ...state, circulation: { state: "missing" } };
    case "ItemFound": {
      const { institutionId, location } = event.data;
      return { ...state, currentLocation: { institution: institutionId, location }, circulation: { state: "available" } };
    }
    case "ItemMarkedLost":
      return { ...state, circulation: { state: "lost" } };
    case "ItemClaimedReturned":
      return { ...state, circulation: { state: "claimed_returned" } };
    case "ItemMarkedInProcess":
      return { ...state, circulation: { state: "in_process" } };
    case "ItemMarkedAvailable":
      return { ...state, circulation: { state: "available" } };
    default:
      return state;
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
