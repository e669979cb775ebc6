// Test data shared by the item specs (excluded from the build).
import { fold } from "@circulate/domain";
import type { ItemEvent } from "./item.events.js";
import type { ItemId, ItemRecord, Location } from "./item.record.js";
import { evolveItem, initialItemState, type ItemState, type ItemStatus, type RegisteredItem } from "./item.state.js";

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

export function registered(record: ItemRecord = aRecord(), currentLocation: Location = HOME): ItemEvent {
  return { type: "ItemRegistered", data: { institution: ITEM.institution, barcode: ITEM.barcode, record, currentLocation } };
}

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
  on_loan: [{ type: "ItemMarkedOnLoan", data: {} }],
  on_hold_shelf: [{ type: "ItemPlacedOnHoldShelf", data: { pickup: HOME } }],
  in_transit: [{ type: "ItemSentInTransit", data: { destination: ELSEWHERE, reason: "manual" } }],
  missing: [{ type: "ItemMarkedMissing", data: {} }],
  lost: [{ type: "ItemMarkedOnLoan", data: {} }, { type: "ItemMarkedLost", data: {} }],
  claimed_returned: [{ type: "ItemMarkedOnLoan", data: {} }, { type: "ItemMarkedClaimedReturned", data: {} }],
  in_process: [{ type: "ItemMarkedInProcess", data: {} }],
};

export function givenIn(status: ItemStatus, ...more: ItemEvent[]): RegisteredItem {
  return givenRegistered(...INTO[status], ...more);
}
