import { describe, expect, it } from "vitest";
import { blockedBy, given } from "./patron.fixtures.js";
import { patronStreamId } from "./patron.state.js";

describe("patron state", () => {
  it("names the stream patron-<institution>-<barcode>", () => {
    expect(patronStreamId({ institution: "main", barcode: "P0001" })).toBe("patron-main-P0001");
  });

  it("keeps stream ids distinct when institution or barcode contain the separator", () => {
    expect(patronStreamId({ institution: "a-b", barcode: "c" })).not.toBe(patronStreamId({ institution: "a", barcode: "b-c" }));
  });

  it("ignores events for a patron that was never registered instead of throwing", () => {
    expect(given(blockedBy(false, "", "kiosk1"))).toEqual({ status: "unregistered" });
  });
});
