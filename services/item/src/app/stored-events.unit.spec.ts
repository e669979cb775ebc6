import { fold } from "@circulate/domain";
import type { Event } from "@circulate/eventstore";
import { describe, expect, it } from "vitest";
import { evolveItem, type ItemEvent, initialItemState } from "../domain/index.js";
import { decideMarkInTransit } from "../mark-in-transit/mark-in-transit.decider.js";
import { decideMarkItemState } from "../mark-item-state/mark-item-state.decider.js";
import { decideMarkOnHoldShelf } from "../mark-on-hold-shelf/mark-on-hold-shelf.decider.js";
import { decideMarkReturned } from "../mark-returned/mark-returned.decider.js";
import { decideSetItemStatus } from "../set-item-status/set-item-status.decider.js";
import { decideUpdateItemStatus } from "../update-item-status/update-item-status.decider.js";
import { decideImportItem } from "../upsert-items/import-item.decider.js";
import { decideRegisterItem, decideUpdateItem } from "../upsert-items/register-item.decider.js";
import {
  aRecord,
  detailsUpdated,
  ELSEWHERE,
  foundAt,
  HOME,
  ITEM,
  MAIN_DESK,
  marked,
  placedAt,
  propertiesUpdated,
  registered,
  returnedAt,
  sentFrom,
} from "../domain/item.fixtures.js";
import { evolveStoredItem, initialStoredItem, type StoredItem, storedItemEvents } from "./item-store.js";
import { fromTerminal } from "../update-item-status/update-item-status.handler.js";

// The stored (and published) JSON of item events is read by existing databases,
// streams and other services' consumers: these are its exact bytes, `current` aside.

const lifecycle: ItemEvent[] = [
  registered(),
  detailsUpdated(aRecord({ title: "New", callNumber: null })),
  propertiesUpdated("bin 4"),
  marked("ItemMarkedOnLoan"),
  returnedAt(ELSEWHERE),
  sentFrom(ELSEWHERE, HOME, "return_home"),
  returnedAt(HOME),
  placedAt(MAIN_DESK),
  marked("ItemMarkedMissing"),
  foundAt(ELSEWHERE),
  marked("ItemMarkedAvailable"),
  marked("ItemMarkedInProcess"),
  marked("ItemMarkedMissing"),
  marked("ItemMarkedLost"),
  marked("ItemClaimedReturned"),
];

/** Decides on the stream so far and returns what is stored, as jsonb gives it back. */
class Stream {
  stored: StoredItem = initialStoredItem();

  record(d: { events: readonly ItemEvent[] }, change: (e: ItemEvent) => ItemEvent = (e) => e): Event[] {
    const stored = JSON.parse(JSON.stringify(storedItemEvents(d.events.map(change), this.stored, "item-1"))) as Event[];
    this.stored = stored.reduce(evolveStoredItem, this.stored);
    return stored;
  }
}

/** Type and data as stored, `current` left out (item-store.unit.spec.ts checks it), keys in stored order. */
const bytes = (events: Event[]) => events.map((e) => `${e.type} ${JSON.stringify({ ...(e.data as object), current: undefined })}`);

describe("stored item events (proto JSON shape)", () => {
  it("fold to the same state as the domain events, after the store's JSON round trip", () => {
    const stream = new Stream();
    for (const event of lifecycle) stream.record({ events: [event] });
    expect(stream.stored).toEqual({ itemId: "item-1", item: fold(evolveItem, initialItemState(), lifecycle) });
  });

  it("use the names of proto/library/item/v1/events.proto (19 is ItemStatusUpdated)", () => {
    const stream = new Stream();
    expect(lifecycle.flatMap((e) => stream.record({ events: [e] })).map((e) => e.type)).toEqual([
      "ItemRegistered",
      "ItemDetailsUpdated",
      "ItemStatusUpdated",
      "ItemMarkedOnLoan",
      "ItemReturned",
      "ItemTransitStarted",
      "ItemReturned",
      "ItemPlacedOnHoldShelf",
      "ItemMarkedMissing",
      "ItemFound",
      "ItemMarkedAvailable",
      "ItemMarkedInProcess",
      "ItemMarkedMissing",
      "ItemMarkedLost",
      "ItemClaimedReturned",
    ]);
  });

  it("state changes alone carry just the item id", () => {
    const stream = new Stream();
    const stored = lifecycle.flatMap((e) => stream.record({ events: [e] })).slice(-5);
    expect(bytes(stored)).toEqual([
      'ItemMarkedAvailable {"itemId":"item-1"}',
      'ItemMarkedInProcess {"itemId":"item-1"}',
      'ItemMarkedMissing {"itemId":"item-1"}',
      'ItemMarkedLost {"itemId":"item-1"}',
      'ItemClaimedReturned {"itemId":"item-1"}',
    ]);
  });

  it("keep the record's shape: SIP2 codes as proto enums, null as absent, lending as one bit", () => {
    const s = new Stream();
    const record = aRecord({ magneticMedia: null, collectionCode: "REF" });
    expect(bytes(s.record(decideRegisterItem({ type: "RegisterItem", item: ITEM, record, currentLocation: MAIN_DESK }, s.stored.item)))).toEqual([
      'ItemRegistered {"itemId":"item-1","item":{"institutionId":"main","barcode":"I0001"},"title":"Sketch of the Analytical Engine","titleId":"T-MENABREA","itemType":"book","mediaType":"MEDIA_TYPE_BOOK","securityMarker":"SECURITY_MARKER_TATTLE_TAPE","permanentLocation":"stacks","callNumber":"510.78 MEN","collectionCode":"REF","owner":"main","state":"ITEM_STATE_AVAILABLE","circulating":true,"currentLocation":"desk","currentInstitutionId":"main"}',
    ]);
    const changed = aRecord({ title: "New", callNumber: null, lending: "non_circulating", mediaType: "006", securityMarker: "03", magneticMedia: true });
    expect(bytes(s.record(decideUpdateItem({ type: "UpdateItem", item: ITEM, record: changed }, s.stored.item)))).toEqual([
      'ItemDetailsUpdated {"itemId":"item-1","item":{"institutionId":"main","barcode":"I0001"},"title":"New","titleId":"T-MENABREA","itemType":"book","mediaType":"MEDIA_TYPE_CD","magneticMedia":true,"securityMarker":"SECURITY_MARKER_WHISPER_TAPE","permanentLocation":"stacks","owner":"main"}',
    ]);
    const other = aRecord({ lending: "in_library_use", magneticMedia: false, securityMarker: "00", mediaType: "000" });
    expect(bytes(s.record(decideUpdateItem({ type: "UpdateItem", item: ITEM, record: other }, s.stored.item)))).toEqual([
      'ItemDetailsUpdated {"itemId":"item-1","item":{"institutionId":"main","barcode":"I0001"},"title":"Sketch of the Analytical Engine","titleId":"T-MENABREA","itemType":"book","mediaType":"MEDIA_TYPE_OTHER","magneticMedia":false,"securityMarker":"SECURITY_MARKER_OTHER","permanentLocation":"stacks","callNumber":"510.78 MEN","owner":"main"}',
    ]);
  });

  it("carry what the commands and the terminal say: terminal account, loan, hold and check-in ids, where a transit leaves from", () => {
    const s = new Stream();
    s.record({ events: [registered(aRecord(), MAIN_DESK)] });
    const item = () => s.stored.item;
    const store19 = (properties: string, account: string) =>
      bytes(s.record(decideUpdateItemStatus({ type: "UpdateItemStatus", item: ITEM, properties }, item()), fromTerminal(account)));
    expect(store19("bin 4", "kiosk1")).toEqual(['ItemStatusUpdated {"itemId":"item-1","properties":"bin 4","terminalAccount":"kiosk1"}']);
    expect(store19("", "")).toEqual(['ItemStatusUpdated {"itemId":"item-1"}']);
    const lend = (loanId?: string) => bytes(s.record(decideMarkItemState({ type: "MarkOnLoan", item: ITEM, loanId }, item())));
    const checkIn = (location: typeof HOME, trap: { pickup: typeof HOME; holdId: string } | null, checkInId?: string) =>
      bytes(s.record(decideMarkReturned({ type: "MarkReturned", item: ITEM, location, trap, checkInId }, item())));

    expect(lend("L1")).toEqual(['ItemMarkedOnLoan {"itemId":"item-1","loanId":"L1"}']);
    expect(checkIn(ELSEWHERE, null, "C1")).toEqual([
      'ItemReturned {"itemId":"item-1","location":"desk","institutionId":"north","checkInId":"C1"}',
      'ItemTransitStarted {"itemId":"item-1","fromLocation":"desk","toLocation":"stacks","toInstitutionId":"main","reason":"TRANSIT_REASON_RETURN_HOME"}',
    ]);
    expect(checkIn(HOME, null, "C2")).toEqual(['ItemReturned {"itemId":"item-1","location":"stacks","institutionId":"main","checkInId":"C2"}']);
    expect(lend()).toEqual(['ItemMarkedOnLoan {"itemId":"item-1"}']);
    expect(checkIn(MAIN_DESK, { pickup: MAIN_DESK, holdId: "H1" }, "C3")).toEqual([
      'ItemReturned {"itemId":"item-1","location":"desk","institutionId":"main","checkInId":"C3"}',
      'ItemPlacedOnHoldShelf {"itemId":"item-1","pickupLocation":"desk","pickupInstitutionId":"main","holdId":"H1"}',
    ]);
    lend("L2");
    expect(checkIn(HOME, { pickup: ELSEWHERE, holdId: "H2" }, "C4")).toEqual([
      'ItemReturned {"itemId":"item-1","location":"stacks","institutionId":"main","checkInId":"C4"}',
      'ItemTransitStarted {"itemId":"item-1","fromLocation":"stacks","toLocation":"desk","holdId":"H2","toInstitutionId":"north","reason":"TRANSIT_REASON_HOLD"}',
    ]);
    expect(bytes(s.record(decideMarkOnHoldShelf({ type: "MarkOnHoldShelf", item: ITEM, pickup: ELSEWHERE, holdId: "H2" }, item())))).toEqual([
      'ItemPlacedOnHoldShelf {"itemId":"item-1","pickupLocation":"desk","pickupInstitutionId":"north","holdId":"H2"}',
    ]);
    const send = (destination: typeof HOME, reason: "hold" | "manual", holdId?: string) =>
      bytes(s.record(decideMarkInTransit({ type: "MarkInTransit", item: ITEM, destination, reason, holdId }, item())));
    expect(send(MAIN_DESK, "hold", "H3")).toEqual([
      'ItemTransitStarted {"itemId":"item-1","fromLocation":"desk","toLocation":"desk","holdId":"H3","toInstitutionId":"main","reason":"TRANSIT_REASON_HOLD"}',
    ]);
    expect(checkIn(MAIN_DESK, null)).toEqual(['ItemReturned {"itemId":"item-1","location":"desk","institutionId":"main"}']);
    expect(send(ELSEWHERE, "manual")).toEqual([
      'ItemTransitStarted {"itemId":"item-1","fromLocation":"desk","toLocation":"desk","toInstitutionId":"north","reason":"TRANSIT_REASON_MANUAL"}',
    ]);
  });

  it("staff changes name the staff member and the reason; a found item says where and what it was", () => {
    const s = new Stream();
    s.record({ events: [registered(aRecord(), HOME)] });
    const staff = (status: "missing" | "found", foundAt: typeof HOME | null = null) =>
      bytes(s.record(decideSetItemStatus({ type: "SetItemStatus", item: ITEM, status, staff: "jdoe", reason: "inventory", foundAt }, s.stored.item)));
    expect(staff("missing")).toEqual(['ItemMarkedMissing {"itemId":"item-1","note":"inventory","staff":"jdoe"}']);
    expect(staff("found", ELSEWHERE)).toEqual([
      'ItemFound {"itemId":"item-1","previousState":"ITEM_STATE_MISSING","location":"desk","institutionId":"north","staff":"jdoe","note":"inventory"}',
      'ItemTransitStarted {"itemId":"item-1","fromLocation":"desk","toLocation":"stacks","toInstitutionId":"main","reason":"TRANSIT_REASON_RETURN_HOME"}',
    ]);
  });

  it("an import records what the deciders decide, with no ids", () => {
    const s = new Stream();
    const imported = decideImportItem(
      { type: "ImportItem", item: ITEM, record: aRecord({ titleId: "", title: "" }), currentLocation: ELSEWHERE, state: { state: "on_hold_shelf", pickup: MAIN_DESK } },
      s.stored.item,
    );
    expect(bytes(s.record(imported))).toEqual([
      'ItemRegistered {"itemId":"item-1","item":{"institutionId":"main","barcode":"I0001"},"itemType":"book","mediaType":"MEDIA_TYPE_BOOK","magneticMedia":false,"securityMarker":"SECURITY_MARKER_TATTLE_TAPE","permanentLocation":"stacks","callNumber":"510.78 MEN","owner":"main","state":"ITEM_STATE_AVAILABLE","circulating":true,"currentLocation":"desk","currentInstitutionId":"north"}',
      'ItemPlacedOnHoldShelf {"itemId":"item-1","pickupLocation":"desk","pickupInstitutionId":"main"}',
    ]);
    const lost = decideImportItem({ type: "ImportItem", item: ITEM, record: aRecord({ title: "X" }), currentLocation: null, state: { state: "lost" } }, s.stored.item);
    expect(bytes(s.record(lost))).toEqual([
      'ItemDetailsUpdated {"itemId":"item-1","item":{"institutionId":"main","barcode":"I0001"},"title":"X","titleId":"T-MENABREA","itemType":"book","mediaType":"MEDIA_TYPE_BOOK","magneticMedia":false,"securityMarker":"SECURITY_MARKER_TATTLE_TAPE","permanentLocation":"stacks","callNumber":"510.78 MEN","owner":"main","circulating":true}',
      'ItemMarkedLost {"itemId":"item-1"}',
    ]);
  });

  it("skips event types the service does not record, and types it does not know, instead of throwing", () => {
    const s = new Stream();
    s.record({ events: [registered()] });
    const withdrawn = { type: "ItemWithdrawn", data: { itemId: "other" } };
    expect(evolveStoredItem(s.stored, withdrawn)).toEqual(s.stored);
    expect(evolveStoredItem(initialStoredItem(), { type: "ItemWithdrawn", data: {} })).toEqual(initialStoredItem());
    expect(evolveStoredItem(s.stored, { type: "SomethingNew", data: {} })).toEqual(s.stored);
    expect(evolveStoredItem(s.stored, { type: "ItemCheckedOut", data: {} })).toEqual(s.stored);
  });
});
