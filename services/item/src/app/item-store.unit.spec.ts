import { item as itemPb } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import type { ItemRow } from "../adapters/db.js";
import { evolveStoredItem, initialStoredItem, type StoredItem } from "../adapters/events.codec.js";
import { aRecord, ELSEWHERE, HOME, MAIN_DESK, registered } from "../domain/item.fixtures.js";
import type { ItemEvent } from "../domain/index.js";
import { encodeItemEvents, itemFromRow, itemRowOf } from "./item-store.js";
import { itemMessage } from "./item-views.js";

const ITEM_ID = "item-1";

/** Every domain event type (the compiler keeps this list complete). */
const EVENT_TYPES = Object.keys({
  ItemRegistered: true,
  ItemUpdated: true,
  ItemPropertiesUpdated: true,
  ItemMarkedOnLoan: true,
  ItemReturned: true,
  ItemPlacedOnHoldShelf: true,
  ItemSentInTransit: true,
  ItemMarkedMissing: true,
  ItemMarkedLost: true,
  ItemMarkedClaimedReturned: true,
  ItemMarkedInProcess: true,
  ItemMarkedAvailable: true,
} satisfies Record<ItemEvent["type"], true>);

/** Each of them, in an order the item can live through. */
const lifecycle: ItemEvent[] = [
  registered(aRecord({ magneticMedia: null, collectionCode: "REF" })),
  { type: "ItemUpdated", data: { record: aRecord({ title: "New", callNumber: null }), changed: ["title", "callNumber"] } },
  { type: "ItemPropertiesUpdated", data: { properties: "bin 4" } },
  { type: "ItemMarkedOnLoan", data: {} },
  { type: "ItemReturned", data: { location: ELSEWHERE } },
  { type: "ItemSentInTransit", data: { destination: HOME, reason: "return_home" } },
  { type: "ItemReturned", data: { location: HOME } },
  { type: "ItemSentInTransit", data: { destination: MAIN_DESK, reason: "hold" } },
  { type: "ItemPlacedOnHoldShelf", data: { pickup: MAIN_DESK } },
  { type: "ItemMarkedAvailable", data: {} },
  { type: "ItemMarkedInProcess", data: {} },
  { type: "ItemMarkedMissing", data: {} },
  { type: "ItemMarkedLost", data: {} },
  { type: "ItemMarkedClaimedReturned", data: {} },
];

/** What GetItem answers for a stream: the projected row as the database gives it back, turned into `item.Item`. */
function getItem(stored: StoredItem, version: number): itemPb.Item {
  if (stored.item.status !== "registered") throw new Error("not registered");
  const written = itemRowOf(ITEM_ID, "item-main-I0001", stored.item, version);
  const row: ItemRow = { ...written, circulation: JSON.parse(written.circulation), last_check_in_ids: [], updated_at: new Date() };
  return itemMessage(row.item_id, itemFromRow(row));
}

describe("item events carry the item after them (`current`)", () => {
  it("equal to what GetItem returns once the event is projected, for every event type", () => {
    let stored = initialStoredItem();
    const seen = new Set<string>();
    for (const [i, event] of lifecycle.entries()) {
      const [encoded] = encodeItemEvents([event], stored, ITEM_ID);
      // As stored in jsonb and published as proto JSON.
      const data = JSON.parse(JSON.stringify(encoded!.data)) as { current?: unknown };
      stored = evolveStoredItem(stored, encoded!);
      expect(itemPb.Item.fromJSON(data.current), event.type).toEqual(getItem(stored, i + 1));
      seen.add(event.type);
    }
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("each event of a decision gets the item after that event, not after the whole decision", () => {
    const start = evolveStoredItem(initialStoredItem(), encodeItemEvents([registered()], initialStoredItem(), ITEM_ID)[0]!);
    const encoded = encodeItemEvents(
      [
        { type: "ItemReturned", data: { location: ELSEWHERE } },
        { type: "ItemSentInTransit", data: { destination: HOME, reason: "return_home" } },
      ],
      start,
      ITEM_ID,
    );
    const states = encoded.map((e) => itemPb.Item.fromJSON((e.data as { current: unknown }).current));
    expect(states.map((s) => [s.state, s.currentLocation, s.inTransitTo])).toEqual([
      [itemPb.ItemState.AVAILABLE, "desk", ""],
      [itemPb.ItemState.IN_TRANSIT, "desk", "stacks"],
    ]);
  });
});
