import { item as itemPb } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import type { ItemRow } from "../adapters/db.js";
import {
  aRecord,
  detailsUpdated,
  ELSEWHERE,
  foundAt,
  HOME,
  MAIN_DESK,
  marked,
  placedAt,
  propertiesUpdated,
  registered,
  returnedAt,
  sentFrom,
} from "../domain/item.fixtures.js";
import type { ItemEvent } from "../domain/index.js";
import { itemFromRow, itemRowOf } from "../adapters/items.repository.js";
import { evolveStoredItem, initialStoredItem, type StoredItem, storedItemEvents } from "./item-store.js";
import { itemMessage } from "./item-views.js";

const ITEM_ID = "item-1";

/** Types in events.proto that no decider emits. */
type NeverRecorded = "ItemLocationChanged" | "ItemTransitCompleted" | "ItemWithdrawn";

/** Every event type the service records (the compiler keeps this list complete). */
const EVENT_TYPES = Object.keys({
  ItemRegistered: true,
  ItemDetailsUpdated: true,
  ItemStatusUpdated: true,
  ItemMarkedOnLoan: true,
  ItemReturned: true,
  ItemPlacedOnHoldShelf: true,
  ItemTransitStarted: true,
  ItemMarkedMissing: true,
  ItemMarkedLost: true,
  ItemClaimedReturned: true,
  ItemMarkedInProcess: true,
  ItemMarkedAvailable: true,
  ItemFound: true,
} satisfies Record<Exclude<ItemEvent["type"], NeverRecorded>, true>);

/** Each of them, in an order the item can live through. */
const lifecycle: ItemEvent[] = [
  registered(aRecord({ magneticMedia: null, collectionCode: "REF" })),
  detailsUpdated(aRecord({ title: "New", callNumber: null })),
  propertiesUpdated("bin 4"),
  marked("ItemMarkedOnLoan"),
  returnedAt(ELSEWHERE),
  sentFrom(ELSEWHERE, HOME, "return_home"),
  returnedAt(HOME),
  sentFrom(HOME, MAIN_DESK, "hold"),
  placedAt(MAIN_DESK),
  marked("ItemMarkedMissing"),
  foundAt(ELSEWHERE),
  marked("ItemMarkedAvailable"),
  marked("ItemMarkedInProcess"),
  marked("ItemMarkedMissing"),
  marked("ItemMarkedLost"),
  marked("ItemClaimedReturned"),
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
      const [encoded] = storedItemEvents([event], stored, ITEM_ID);
      // As stored in jsonb and published as proto JSON.
      const data = JSON.parse(JSON.stringify(encoded!.data)) as { current?: unknown };
      stored = evolveStoredItem(stored, encoded!);
      expect(itemPb.Item.fromJSON(data.current), event.type).toEqual(getItem(stored, i + 1));
      seen.add(event.type);
    }
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("each event of a decision gets the item after that event, not after the whole decision", () => {
    const start = evolveStoredItem(initialStoredItem(), storedItemEvents([registered()], initialStoredItem(), ITEM_ID)[0]!);
    const encoded = storedItemEvents([returnedAt(ELSEWHERE), sentFrom(ELSEWHERE, HOME, "return_home")], start, ITEM_ID);
    const states = encoded.map((e) => itemPb.Item.fromJSON((e.data as { current: unknown }).current));
    expect(states.map((s) => [s.state, s.currentLocation, s.inTransitTo])).toEqual([
      [itemPb.ItemState.AVAILABLE, "desk", ""],
      [itemPb.ItemState.IN_TRANSIT, "desk", "stacks"],
    ]);
  });
});
