import { describe, expect, it } from "vitest";
import { decideTrap, holdFactsFor, type QueuedHold } from "./hold-facts.js";

const NOW = new Date("2025-03-12T15:00:00.000Z");
const copy = { barcode: "I1", branch: "MAIN" };
const hold = (over: Partial<QueuedHold> & Pick<QueuedHold, "holdId" | "patronId">): QueuedHold => ({
  pickupLocation: "MAIN",
  placedAt: "2025-03-01T10:00:00.000Z",
  trapped: false,
  trappedBarcode: "",
  target: { kind: "title" },
  expiresAt: null,
  ...over,
});

describe("decideTrap", () => {
  it("gives the copy to the oldest hold that could take it: on the shelf when its pickup is here", () => {
    const queue = [
      hold({ holdId: "h2", patronId: "p2", placedAt: "2025-03-02T10:00:00.000Z" }),
      hold({ holdId: "h1", patronId: "p1", placedAt: "2025-03-01T10:00:00.000Z", pickupLocation: "EAST" }),
    ];
    expect(decideTrap(queue, copy, "MAIN", NOW)).toEqual({ holdId: "h1", patronId: "p1", pickupLocation: "EAST", inTransit: true });
    expect(decideTrap(queue, copy, "EAST", NOW)).toMatchObject({ holdId: "h1", inTransit: false });
  });

  it("passes over expired holds, holds for another copy and branch holds of another branch", () => {
    const queue = [
      hold({ holdId: "gone", patronId: "p1", expiresAt: "2025-03-10T00:00:00.000Z" }),
      hold({ holdId: "other", patronId: "p2", target: { kind: "copy", barcode: "I2" } }),
      hold({ holdId: "east", patronId: "p3", target: { kind: "branch", pickup: "EAST" } }),
      hold({ holdId: "mine", patronId: "p4", target: { kind: "copy", barcode: "I1" }, placedAt: "2025-03-05T00:00:00.000Z" }),
    ];
    expect(decideTrap(queue, copy, "MAIN", NOW)?.holdId).toBe("mine");
  });

  it("keeps a copy already trapped with its hold, now here or on its way", () => {
    const queue = [
      hold({ holdId: "first", patronId: "p1" }),
      hold({ holdId: "held", patronId: "p2", trapped: true, trappedBarcode: "I1", pickupLocation: "MAIN", placedAt: "2025-03-09T00:00:00.000Z" }),
    ];
    expect(decideTrap(queue, copy, "MAIN", NOW)).toEqual({ holdId: "held", patronId: "p2", pickupLocation: "MAIN", inTransit: false });
  });

  it("traps nothing when no hold could take the copy", () => {
    expect(decideTrap([hold({ holdId: "t", patronId: "p", trapped: true, trappedBarcode: "I9" })], copy, "MAIN", NOW)).toBeNull();
  });
});

describe("holdFactsFor", () => {
  it("says whom the copy is trapped for, who waits for this very copy, and whether someone else could take it", () => {
    const queue = [
      hold({ holdId: "a", patronId: "p1", trapped: true, trappedBarcode: "I1" }),
      hold({ holdId: "b", patronId: "p2", target: { kind: "copy", barcode: "I1" } }),
    ];
    expect(holdFactsFor(queue, copy, "p2", NOW)).toEqual({ trappedFor: "p1", itemLevelHoldPatrons: ["p2"], titleQueueLength: 2, someoneElseWaiting: false });
    expect(holdFactsFor(queue, copy, "p3", NOW).someoneElseWaiting).toBe(true);
  });
});
