// Test data shared by the item specs (excluded from the build).
import { domainEvent, item as itemPb } from "@circulate/contracts";
import { fold } from "@circulate/domain";
import type { ItemId, ItemRecord, Location } from "./item.record.js";
import {
  evolveItem,
  initialItemState,
  type ItemEvent,
  type ItemState,
  type ItemStatus,
  type RegisteredItem,
  type TransitReason,
} from "./item.state.js";
import { recordFields, transitReasonToProto } from "./proto-codes.js";

export const ITEM: ItemId = { institution: "main", barcode: "I0001" };

/** The item's home: owner "main", permanent location "stacks". */
export const HOME: Location = { institution: "main", location: "stacks" };
/** Another location of the owning institution. */
export const MAIN_DESK: Location = { institution: "main", location: "desk" };
/** A library of another institution in the consortium. */
export const ELSEWHERE: Location = { institution: "north", location: "desk" };

export function aRecord(overrides: Partial<ItemRecord> = {}): ItemRecord {
  return {
    title: "Sketch of the Analytical Engine",
    titleId: "T-MENABREA",
    callNumber: "510.78 MEN",
    collectionCode: null,
    mediaType: "001",
    itemType: "book",
    owner: "main",
    permanentLocation: "stacks",
    lending: "lendable",
    magneticMedia: false,
    securityMarker: "02",
    ...overrides,
  };
}

const ITEM_REF = { institutionId: ITEM.institution, barcode: ITEM.barcode };

export function registered(record: ItemRecord = aRecord(), currentLocation: Location = HOME): ItemEvent {
  return domainEvent("ItemRegistered", {
    item: ITEM_REF,
    ...recordFields(record),
    state: itemPb.ItemState.AVAILABLE,
    currentLocation: currentLocation.location,
    currentInstitutionId: currentLocation.institution,
  });
}

export const detailsUpdated = (record: ItemRecord): ItemEvent => domainEvent("ItemDetailsUpdated", { item: ITEM_REF, ...recordFields(record) });

export const propertiesUpdated = (properties: string): ItemEvent => domainEvent("ItemStatusUpdated", { properties });

export const returnedAt = (at: Location, checkInId = ""): ItemEvent =>
  domainEvent("ItemReturned", { location: at.location, institutionId: at.institution, checkInId });

export const placedAt = (pickup: Location, holdId = ""): ItemEvent =>
  domainEvent("ItemPlacedOnHoldShelf", { pickupLocation: pickup.location, pickupInstitutionId: pickup.institution, holdId });

export const sentFrom = (from: Location, to: Location, reason: TransitReason, holdId = ""): ItemEvent =>
  domainEvent("ItemTransitStarted", {
    fromLocation: from.location,
    toLocation: to.location,
    toInstitutionId: to.institution,
    reason: transitReasonToProto(reason),
    holdId,
  });

/** Staff found a missing item at `at`. */
export const foundAt = (at: Location, staff = "jdoe", note = "on the returns cart"): ItemEvent =>
  domainEvent("ItemFound", { previousState: itemPb.ItemState.MISSING, location: at.location, institutionId: at.institution, staff, note });

/** An event that only moves the item to another state. */
export const marked = (
  type: "ItemMarkedOnLoan" | "ItemMarkedMissing" | "ItemMarkedLost" | "ItemClaimedReturned" | "ItemMarkedInProcess" | "ItemMarkedAvailable",
): ItemEvent => domainEvent(type, {});

export function given(...events: ItemEvent[]): ItemState {
  return fold(evolveItem, initialItemState(), events);
}

export function givenRegistered(...events: ItemEvent[]): RegisteredItem {
  const state = given(registered(), ...events);
  if (state.status !== "registered") throw new Error("fixture: expected a registered item");
  return state;
}

/** Events that bring a freshly registered item (available at HOME) into `status`. */
export const INTO: Readonly<Record<ItemStatus, readonly ItemEvent[]>> = {
  available: [],
  on_loan: [marked("ItemMarkedOnLoan")],
  on_hold_shelf: [placedAt(HOME)],
  in_transit: [sentFrom(HOME, ELSEWHERE, "manual")],
  missing: [marked("ItemMarkedMissing")],
  lost: [marked("ItemMarkedOnLoan"), marked("ItemMarkedLost")],
  claimed_returned: [marked("ItemMarkedOnLoan"), marked("ItemClaimedReturned")],
  in_process: [marked("ItemMarkedInProcess")],
};

export function givenIn(status: ItemStatus, ...more: ItemEvent[]): RegisteredItem {
  return givenRegistered(...INTO[status], ...more);
}
