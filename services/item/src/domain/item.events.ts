import type { ItemRecord, Location } from "./item.record.js";

/**
 * Same shape as `@circulate/eventstore`'s `Event`, declared here so the domain
 * has no storage dependency. JSON primitives only (see item.record.ts).
 * Each state-change event moves the item to exactly one circulation state, so
 * a projection can follow `type` alone.
 */
interface ItemEventOf<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

type NoData = Readonly<Record<string, never>>;

/** Why an item travels: home to its owner after a return elsewhere, to a hold's pickup location, or on staff's say-so. */
export type TransitReason = "return_home" | "hold" | "manual";

export type ItemRegistered = ItemEventOf<
  "ItemRegistered",
  { readonly institution: string; readonly barcode: string; readonly record: ItemRecord; readonly currentLocation: Location }
>;

export type ItemUpdated = ItemEventOf<
  "ItemUpdated",
  { readonly record: ItemRecord; readonly changed: readonly (keyof ItemRecord)[] }
>;

/** 19 Item Status Update: SIP2 `CH`, free text the kiosk or sorter wants kept. */
export type ItemPropertiesUpdated = ItemEventOf<"ItemPropertiesUpdated", { readonly properties: string }>;

export type ItemMarkedOnLoan = ItemEventOf<"ItemMarkedOnLoan", NoData>;

/** Checked in at `location`: the item is physically there and available (a transit or hold-shelf event may follow). */
export type ItemReturned = ItemEventOf<"ItemReturned", { readonly location: Location }>;

export type ItemPlacedOnHoldShelf = ItemEventOf<"ItemPlacedOnHoldShelf", { readonly pickup: Location }>;

export type ItemSentInTransit = ItemEventOf<
  "ItemSentInTransit",
  { readonly destination: Location; readonly reason: TransitReason }
>;

export type ItemMarkedMissing = ItemEventOf<"ItemMarkedMissing", NoData>;
export type ItemMarkedLost = ItemEventOf<"ItemMarkedLost", NoData>;
export type ItemMarkedClaimedReturned = ItemEventOf<"ItemMarkedClaimedReturned", NoData>;
export type ItemMarkedInProcess = ItemEventOf<"ItemMarkedInProcess", NoData>;

/** Back on the shelf where it is (staff: found, processing done, transfer or hold cancelled). */
export type ItemMarkedAvailable = ItemEventOf<"ItemMarkedAvailable", NoData>;

export type ItemEvent =
  | ItemRegistered
  | ItemUpdated
  | ItemPropertiesUpdated
  | ItemMarkedOnLoan
  | ItemReturned
  | ItemPlacedOnHoldShelf
  | ItemSentInTransit
  | ItemMarkedMissing
  | ItemMarkedLost
  | ItemMarkedClaimedReturned
  | ItemMarkedInProcess
  | ItemMarkedAvailable;

export type ItemEventType = ItemEvent["type"];
