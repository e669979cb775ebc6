import { item as itemPb } from "@circulate/contracts";
import type { Event } from "@circulate/eventstore";
import {
  evolveItem,
  initialItemState,
  type ItemEvent,
  type ItemRecord,
  type ItemState,
} from "../domain/index.js";
import {
  lendingFromCirculating,
  lendingToCirculating,
  mediaTypeFromProto,
  mediaTypeToProto,
  securityMarkerFromProto,
  securityMarkerToProto,
  transitReasonFromProto,
  transitReasonToProto,
} from "./proto-codes.js";

/**
 * Stored events are `{ type, data }` with `data` in the proto3 JSON shape of
 * the message of the same name in proto/library/item/v1/events.proto, so the
 * relay publishes them with `protoJsonEncoder`. The domain keeps its own event
 * union; this file is the one place the two meet, both ways: `encodeItemEvent`
 * before an append, `evolveStoredItem` when a stream is folded.
 */

/** What a domain event alone does not say but its protobuf message carries. */
export interface EncodeContext {
  /** Internal id of the item. */
  readonly itemId: string;
  /** The state before the event (a transit names where it leaves from). */
  readonly before: ItemState;
  readonly loanId?: string;
  readonly holdId?: string;
  readonly checkInId?: string;
  readonly terminalAccount?: string;
}

/** The catalogue fields shared by ItemRegistered, ItemDetailsUpdated, Item and ItemRecord. */
export interface ProtoRecordFields {
  title: string;
  titleId: string;
  itemType: string;
  mediaType: itemPb.Item["mediaType"];
  magneticMedia?: boolean | undefined;
  securityMarker: itemPb.Item["securityMarker"];
  permanentLocation: string;
  callNumber: string;
  collectionCode: string;
  owner: string;
  circulating: boolean;
}

export function recordToProto(record: ItemRecord): ProtoRecordFields {
  return {
    title: record.title,
    titleId: record.titleId,
    itemType: record.itemType,
    mediaType: mediaTypeToProto(record.mediaType),
    magneticMedia: record.magneticMedia ?? undefined,
    securityMarker: securityMarkerToProto(record.securityMarker),
    permanentLocation: record.permanentLocation,
    callNumber: record.callNumber ?? "",
    collectionCode: record.collectionCode ?? "",
    owner: record.owner,
    circulating: lendingToCirculating(record.lending),
  };
}

/** Empty strings are "not recorded" in proto3; the domain says `null`. */
export function recordFromProto(fields: ProtoRecordFields): ItemRecord {
  return {
    title: fields.title,
    titleId: fields.titleId,
    callNumber: fields.callNumber === "" ? null : fields.callNumber,
    collectionCode: fields.collectionCode === "" ? null : fields.collectionCode,
    mediaType: mediaTypeFromProto(fields.mediaType),
    itemType: fields.itemType,
    owner: fields.owner,
    permanentLocation: fields.permanentLocation,
    lending: lendingFromCirculating(fields.circulating),
    magneticMedia: fields.magneticMedia ?? null,
    securityMarker: securityMarkerFromProto(fields.securityMarker),
  };
}

type Codec<M> = { fromPartial(o: Partial<M>): M; toJSON(m: M): unknown; fromJSON(o: unknown): M };

/**
 * A domain event as it is stored (and published). `current` is the item after
 * the event as GetItem shows it (every item event message carries it at field
 * 100), so a peer keeps its copy of the item from the events alone.
 */
export function encodeItemEvent(event: ItemEvent, ctx: EncodeContext, current?: itemPb.Item): Event {
  const itemId = ctx.itemId;
  const stored = <M extends { current: itemPb.Item | undefined }>(type: string, codec: Codec<M>, message: Partial<M>): Event => ({
    type,
    data: codec.toJSON(codec.fromPartial({ ...message, current } as Partial<M>)),
  });
  switch (event.type) {
    case "ItemRegistered": {
      const { institution, barcode, record, currentLocation } = event.data;
      return stored("ItemRegistered", itemPb.ItemRegistered, {
        itemId,
        item: { institutionId: institution, barcode },
        ...recordToProto(record),
        state: itemPb.ItemState.AVAILABLE,
        currentLocation: currentLocation.location,
        currentInstitutionId: currentLocation.institution,
      });
    }
    case "ItemUpdated": {
      const id = ctx.before.status === "registered" ? ctx.before.id : undefined;
      return stored("ItemDetailsUpdated", itemPb.ItemDetailsUpdated, {
        itemId,
        item: id ? { institutionId: id.institution, barcode: id.barcode } : undefined,
        ...recordToProto(event.data.record),
      });
    }
    case "ItemPropertiesUpdated":
      return stored("ItemStatusUpdated", itemPb.ItemStatusUpdated, {
        itemId,
        properties: event.data.properties,
        terminalAccount: ctx.terminalAccount ?? "",
      });
    case "ItemMarkedOnLoan":
      return stored("ItemMarkedOnLoan", itemPb.ItemMarkedOnLoan, { itemId, loanId: ctx.loanId ?? "" });
    case "ItemReturned":
      return stored("ItemReturned", itemPb.ItemReturned, {
        itemId,
        location: event.data.location.location,
        institutionId: event.data.location.institution,
        checkInId: ctx.checkInId ?? "",
      });
    case "ItemPlacedOnHoldShelf":
      return stored("ItemPlacedOnHoldShelf", itemPb.ItemPlacedOnHoldShelf, {
        itemId,
        pickupLocation: event.data.pickup.location,
        pickupInstitutionId: event.data.pickup.institution,
        holdId: ctx.holdId ?? "",
      });
    case "ItemSentInTransit":
      return stored("ItemTransitStarted", itemPb.ItemTransitStarted, {
        itemId,
        fromLocation: ctx.before.status === "registered" ? ctx.before.currentLocation.location : "",
        toLocation: event.data.destination.location,
        toInstitutionId: event.data.destination.institution,
        reason: transitReasonToProto(event.data.reason),
        holdId: ctx.holdId ?? "",
      });
    case "ItemMarkedMissing":
      return stored("ItemMarkedMissing", itemPb.ItemMarkedMissing, { itemId });
    case "ItemMarkedLost":
      return stored("ItemMarkedLost", itemPb.ItemMarkedLost, { itemId });
    case "ItemMarkedClaimedReturned":
      return stored("ItemClaimedReturned", itemPb.ItemClaimedReturned, { itemId });
    case "ItemMarkedInProcess":
      return stored("ItemMarkedInProcess", itemPb.ItemMarkedInProcess, { itemId });
    case "ItemMarkedAvailable":
      return stored("ItemMarkedAvailable", itemPb.ItemMarkedAvailable, { itemId });
  }
}

/** An item stream folded: the domain state plus what only the stored events know. */
export interface StoredItem {
  /** Internal id; `null` until registered. */
  readonly itemId: string | null;
  readonly item: ItemState;
}

export function initialStoredItem(): StoredItem {
  return { itemId: null, item: initialItemState() };
}

/** The domain event inside a stored one; `undefined` for types the domain does not model (skipped, never thrown). */
export function decodeItemEvent(event: Event): ItemEvent | undefined {
  const data = event.data;
  switch (event.type) {
    case "ItemRegistered": {
      const m = itemPb.ItemRegistered.fromJSON(data);
      const record = recordFromProto(m);
      return {
        type: "ItemRegistered",
        data: {
          institution: m.item?.institutionId ?? "",
          barcode: m.item?.barcode ?? "",
          record,
          currentLocation: {
            institution: m.currentInstitutionId || record.owner,
            location: m.currentLocation || record.permanentLocation,
          },
        },
      };
    }
    case "ItemDetailsUpdated":
      // `changed` is for readers of the domain decision; the stored message carries the whole record.
      return { type: "ItemUpdated", data: { record: recordFromProto(itemPb.ItemDetailsUpdated.fromJSON(data)), changed: [] } };
    case "ItemStatusUpdated":
      return { type: "ItemPropertiesUpdated", data: { properties: itemPb.ItemStatusUpdated.fromJSON(data).properties } };
    case "ItemMarkedOnLoan":
      return { type: "ItemMarkedOnLoan", data: {} };
    case "ItemReturned": {
      const m = itemPb.ItemReturned.fromJSON(data);
      return { type: "ItemReturned", data: { location: { institution: m.institutionId, location: m.location } } };
    }
    case "ItemPlacedOnHoldShelf": {
      const m = itemPb.ItemPlacedOnHoldShelf.fromJSON(data);
      return { type: "ItemPlacedOnHoldShelf", data: { pickup: { institution: m.pickupInstitutionId, location: m.pickupLocation } } };
    }
    case "ItemTransitStarted": {
      const m = itemPb.ItemTransitStarted.fromJSON(data);
      return {
        type: "ItemSentInTransit",
        data: { destination: { institution: m.toInstitutionId, location: m.toLocation }, reason: transitReasonFromProto(m.reason) },
      };
    }
    case "ItemMarkedMissing":
      return { type: "ItemMarkedMissing", data: {} };
    case "ItemMarkedLost":
      return { type: "ItemMarkedLost", data: {} };
    case "ItemClaimedReturned":
      return { type: "ItemMarkedClaimedReturned", data: {} };
    case "ItemMarkedInProcess":
      return { type: "ItemMarkedInProcess", data: {} };
    case "ItemMarkedAvailable":
      return { type: "ItemMarkedAvailable", data: {} };
    default:
      return undefined;
  }
}

/** Folds one stored event. Tolerant like `evolveItem`: rebuilding a stream never throws. */
export function evolveStoredItem(state: StoredItem, event: Event): StoredItem {
  const domain = decodeItemEvent(event);
  if (!domain) return state;
  const itemId = (event.data as { itemId?: unknown }).itemId;
  return {
    itemId: event.type === "ItemRegistered" && typeof itemId === "string" ? itemId : state.itemId,
    item: evolveItem(state.item, domain),
  };
}
