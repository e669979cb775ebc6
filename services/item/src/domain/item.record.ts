import { isMediaTypeCode, isSecurityMarkerCode, type MediaTypeCode, type SecurityMarkerCode } from "./sip2-codes.js";

/** Who an item is: a barcode within an institution (the namespace, SIP2 `AO`). */
export interface ItemId {
  readonly institution: string;
  readonly barcode: string;
}

/** A place an item can be: a location code within an institution. */
export interface Location {
  readonly institution: string;
  readonly location: string;
}

export function sameLocation(a: Location, b: Location): boolean {
  return a.institution === b.institution && a.location === b.location;
}

/**
 * Whether the item may leave the building. `in_library_use` items may be
 * "charged" for in-house use statistics by a loan rule but never go home; the
 * loan service reads this to refuse `item_not_circulating`.
 */
export type Lending = "lendable" | "non_circulating" | "in_library_use";

/**
 * The imported, descriptive part of an item. JSON primitives only (absent =
 * `null`), so a record survives the event store's JSON round trip and import
 * idempotency can compare fields with `===`.
 */
export interface ItemRecord {
  /** SIP2 `AJ`. */
  readonly title: string;
  /** Bibliographic record the copy belongs to: title-level holds and renewals are keyed on it. */
  readonly titleId: string;
  /** 3M `CS`. */
  readonly callNumber: string | null;
  /** 3M `CR`. */
  readonly collectionCode: string | null;
  /** SIP2 `CK`. */
  readonly mediaType: MediaTypeCode;
  /** Selects loan rules (patron type × item type × institution) in the loan service. */
  readonly itemType: string;
  /** Owning institution, SIP2 `BG`: where the item goes home to. */
  readonly owner: string;
  /** Shelving location code within the owner, SIP2 `AQ`. */
  readonly permanentLocation: string;
  readonly lending: Lending;
  /** SIP2 magnetic media (Y/N/U): `null` = unknown. Kiosks must not desensitise magnetic media blindly. */
  readonly magneticMedia: boolean | null;
  readonly securityMarker: SecurityMarkerCode;
}

// Keyed by every field: a field added to ItemRecord but not here fails to compile.
const FIELDS: Record<keyof ItemRecord, true> = {
  title: true,
  titleId: true,
  callNumber: true,
  collectionCode: true,
  mediaType: true,
  itemType: true,
  owner: true,
  permanentLocation: true,
  lending: true,
  magneticMedia: true,
  securityMarker: true,
};

export const ITEM_RECORD_FIELDS = Object.keys(FIELDS) as readonly (keyof ItemRecord)[];

/** Fields whose values differ; empty means an update would change nothing. */
export function changedItemFields(before: ItemRecord, after: ItemRecord): (keyof ItemRecord)[] {
  return ITEM_RECORD_FIELDS.filter((f) => before[f] !== after[f]);
}

const LENDING = new Set<string>(["lendable", "non_circulating", "in_library_use"]);

/** What is wrong with a record to import, or `undefined` when it is acceptable. */
export function itemRecordProblem(record: ItemRecord): string | undefined {
  // An empty title is allowed: SIP2 sends `AJ|` for it and catalogues have such items.
  if (record.itemType.trim() === "") return "item type is empty";
  if (record.owner.trim() === "") return "owner is empty";
  if (record.permanentLocation.trim() === "") return "permanent location is empty";
  if (!isMediaTypeCode(record.mediaType)) return `media type is not a SIP2 CK code: ${record.mediaType}`;
  if (!isSecurityMarkerCode(record.securityMarker)) return `security marker is not a SIP2 code: ${record.securityMarker}`;
  if (!LENDING.has(record.lending)) return `lending is not one of ${[...LENDING].join(", ")}: ${record.lending}`;
  return undefined;
}

/** Only the record's own keys, so extra properties on the caller's object never reach an event. */
export function pickItemRecord(record: ItemRecord): ItemRecord {
  return {
    title: record.title,
    titleId: record.titleId,
    callNumber: record.callNumber,
    collectionCode: record.collectionCode,
    mediaType: record.mediaType,
    itemType: record.itemType,
    owner: record.owner,
    permanentLocation: record.permanentLocation,
    lending: record.lending,
    magneticMedia: record.magneticMedia,
    securityMarker: record.securityMarker,
  };
}

/** Where the item lives: its permanent location at its owner. Transit home goes here. */
export function homeOf(record: ItemRecord): Location {
  return { institution: record.owner, location: record.permanentLocation };
}
