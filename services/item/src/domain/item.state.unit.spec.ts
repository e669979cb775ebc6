import { domainEvent, fromStoredEvent, toStoredEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import {
  aRecord,
  ELSEWHERE,
  given,
  givenRegistered,
  HOME,
  ITEM,
  marked,
  propertiesUpdated,
  registered,
  returnedAt,
  sentFrom,
} from "./item.fixtures.js";
import { type ItemEvent, itemStreamId } from "./item.state.js";

describe("item state", () => {
  it("names the stream item-<institution>-<barcode>", () => {
    expect(itemStreamId({ institution: "main", barcode: "I0001" })).toBe("item-main-I0001");
  });

  it("keeps stream ids distinct when institution or barcode contain the separator", () => {
    expect(itemStreamId({ institution: "a-b", barcode: "c" })).not.toBe(itemStreamId({ institution: "a", barcode: "b-c" }));
  });

  it("rebuilds the same state from events that went through the store's JSON round trip", () => {
    const events: ItemEvent[] = [
      registered(aRecord({ magneticMedia: null, collectionCode: null, callNumber: null })),
      marked("ItemMarkedOnLoan"),
      returnedAt(ELSEWHERE),
      sentFrom(ELSEWHERE, HOME, "return_home"),
      propertiesUpdated("bin 4"),
    ];
    const roundTripped = events.map((e) => fromStoredEvent("item", JSON.parse(JSON.stringify(toStoredEvent(e))))!);
    expect(given(...roundTripped)).toEqual(given(...events));
  });

  it("ignores events for an item that was never registered instead of throwing", () => {
    expect(given(marked("ItemMarkedLost"))).toEqual({ status: "unregistered" });
  });

  it("ignores event types this service never records", () => {
    const before = givenRegistered();
    expect(givenRegistered(domainEvent("ItemWithdrawn", { reason: "weeded" }))).toEqual(before);
  });

  it("a registration stored before it said where the item is puts the item at home", () => {
    const legacy = domainEvent("ItemRegistered", {
      item: { institutionId: ITEM.institution, barcode: ITEM.barcode },
      title: "Old",
      owner: "main",
      permanentLocation: "stacks",
    });
    expect(given(legacy)).toMatchObject({ currentLocation: HOME, record: { title: "Old", callNumber: null, magneticMedia: null } });
  });
});
