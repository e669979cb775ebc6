import { describe, expect, it } from "vitest";
import { given, registered, rejected } from "./patron.fixtures.js";
import type { PatronEvent } from "./patron.events.js";
import { patronStreamId } from "./patron.state.js";

describe("patron state", () => {
  it("names the stream patron-<institution>-<barcode>", () => {
    expect(patronStreamId({ institution: "main", barcode: "P0001" })).toBe("patron-main-P0001");
  });

  it("keeps stream ids distinct when institution or barcode contain the separator", () => {
    expect(patronStreamId({ institution: "a-b", barcode: "c" })).not.toBe(patronStreamId({ institution: "a", barcode: "b-c" }));
  });

  it("rebuilds the same state from events that went through the store's JSON round trip", () => {
    const events: PatronEvent[] = [
      registered(),
      { type: "PatronBlocked", data: { cardRetained: true, message: "m", terminalAccount: "kiosk1" } },
      rejected(1),
      { type: "CardReportedLost", data: {} },
    ];
    expect(given(...(JSON.parse(JSON.stringify(events)) as PatronEvent[]))).toEqual(given(...events));
  });

  it("ignores events for a patron that was never registered instead of throwing", () => {
    expect(given({ type: "PatronBlocked", data: { cardRetained: false, message: "", terminalAccount: "kiosk1" } })).toEqual({ status: "unregistered" });
  });
});
