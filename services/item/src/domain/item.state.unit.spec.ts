import { describe, expect, it } from "vitest";
import { ELSEWHERE, given, HOME, registered } from "./item.fixtures.js";
import type { ItemEvent } from "./item.events.js";
import { itemStreamId } from "./item.state.js";

describe("item state", () => {
  it("names the stream item-<institution>-<barcode>", () => {
    expect(itemStreamId({ institution: "main", barcode: "I0001" })).toBe("item-main-I0001");
  });

  it("keeps stream ids distinct when institution or barcode contain the separator", () => {
    expect(itemStreamId({ institution: "a-b", barcode: "c" })).not.toBe(itemStreamId({ institution: "a", barcode: "b-c" }));
  });

  it("rebuilds the same state from events that went through the store's JSON round trip", () => {
    const events: ItemEvent[] = [
      registered(),
      { type: "ItemMarkedOnLoan", data: {} },
      { type: "ItemReturned", data: { location: ELSEWHERE } },
      { type: "ItemSentInTransit", data: { destination: HOME, reason: "return_home" } },
      { type: "ItemPropertiesUpdated", data: { properties: "bin 4" } },
    ];
    expect(given(...(JSON.parse(JSON.stringify(events)) as ItemEvent[]))).toEqual(given(...events));
  });

  it("ignores events for an item that was never registered instead of throwing", () => {
    expect(given({ type: "ItemMarkedLost", data: {} })).toEqual({ status: "unregistered" });
  });
});
