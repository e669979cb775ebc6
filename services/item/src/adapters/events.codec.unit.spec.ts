import { fold } from "@circulate/domain";
import { describe, expect, it } from "vitest";
import { aRecord, ELSEWHERE, givenIn, HOME, MAIN_DESK, registered } from "../domain/item.fixtures.js";
import { evolveItem, type ItemEvent, initialItemState } from "../domain/index.js";
import { decodeItemEvent, encodeItemEvent, evolveStoredItem, initialStoredItem } from "./events.codec.js";

const lifecycle: ItemEvent[] = [
  registered(),
  { type: "ItemUpdated", data: { record: aRecord({ title: "New", callNumber: null }), changed: ["title", "callNumber"] } },
  { type: "ItemPropertiesUpdated", data: { properties: "bin 4" } },
  { type: "ItemMarkedOnLoan", data: {} },
  { type: "ItemReturned", data: { location: ELSEWHERE } },
  { type: "ItemSentInTransit", data: { destination: HOME, reason: "return_home" } },
  { type: "ItemReturned", data: { location: HOME } },
  { type: "ItemPlacedOnHoldShelf", data: { pickup: MAIN_DESK } },
  { type: "ItemMarkedAvailable", data: {} },
  { type: "ItemMarkedInProcess", data: {} },
  { type: "ItemMarkedMissing", data: {} },
  { type: "ItemMarkedLost", data: {} },
  { type: "ItemMarkedClaimedReturned", data: {} },
];

describe("stored item events (proto JSON shape)", () => {
  it("fold to the same state as the domain events, after the store's JSON round trip", () => {
    let before = initialItemState();
    const stored = lifecycle.map((event) => {
      const encoded = encodeItemEvent(event, { itemId: "item-1", before });
      before = evolveItem(before, event);
      return JSON.parse(JSON.stringify(encoded)) as typeof encoded;
    });
    const folded = stored.reduce(evolveStoredItem, initialStoredItem());
    expect(folded).toEqual({ itemId: "item-1", item: fold(evolveItem, initialItemState(), lifecycle) });
  });

  it("use the names of proto/library/item/v1/events.proto (19 is ItemStatusUpdated)", () => {
    const before = givenIn("on_loan");
    const types = lifecycle.map((e) => encodeItemEvent(e, { itemId: "i", before }).type);
    expect(types).toEqual([
      "ItemRegistered",
      "ItemDetailsUpdated",
      "ItemStatusUpdated",
      "ItemMarkedOnLoan",
      "ItemReturned",
      "ItemTransitStarted",
      "ItemReturned",
      "ItemPlacedOnHoldShelf",
      "ItemMarkedAvailable",
      "ItemMarkedInProcess",
      "ItemMarkedMissing",
      "ItemMarkedLost",
      "ItemClaimedReturned",
    ]);
  });

  it("carry what only the context knows: terminal account, loan, hold and check-in ids, where a transit leaves from", () => {
    const before = givenIn("available", { type: "ItemReturned", data: { location: MAIN_DESK } });
    const ctx = { itemId: "i", before, terminalAccount: "kiosk1", loanId: "L1", holdId: "H1", checkInId: "C1" };
    expect(encodeItemEvent({ type: "ItemPropertiesUpdated", data: { properties: "x" } }, ctx).data).toEqual({
      itemId: "i",
      properties: "x",
      terminalAccount: "kiosk1",
    });
    expect(encodeItemEvent({ type: "ItemMarkedOnLoan", data: {} }, ctx).data).toEqual({ itemId: "i", loanId: "L1" });
    expect(encodeItemEvent({ type: "ItemSentInTransit", data: { destination: ELSEWHERE, reason: "hold" } }, ctx).data).toEqual({
      itemId: "i",
      fromLocation: "desk",
      toLocation: "desk",
      toInstitutionId: "north",
      reason: "TRANSIT_REASON_HOLD",
      holdId: "H1",
    });
  });

  it("skips event types the domain does not model instead of throwing", () => {
    expect(decodeItemEvent({ type: "ItemWithdrawn", data: { itemId: "i" } })).toBeUndefined();
    expect(evolveStoredItem(initialStoredItem(), { type: "ItemWithdrawn", data: {} })).toEqual(initialStoredItem());
  });
});
