import { describe, expect, it } from "vitest";
import { given, placed } from "./hold.fixtures.js";
import { positionOf } from "./hold-queue.state.js";

describe("hold queue order", () => {
  it("puts a hold imported with an earlier placement time ahead of later ones", () => {
    const q = given(
      placed("h-live", "P1", { placedAt: "2025-03-01T10:00:00Z" }),
      placed("h-old", "P2", { placedAt: "2025-01-15T09:00:00Z" }),
    );
    expect(q.holds.map((h) => h.holdId)).toEqual(["h-old", "h-live"]);
    expect(positionOf(q, "h-live")).toBe(2);
  });

  it("keeps append order between holds placed at the same instant", () => {
    const q = given(placed("h-1", "P1"), placed("h-2", "P2"), placed("h-3", "P3"));
    expect(q.holds.map((h) => h.holdId)).toEqual(["h-1", "h-2", "h-3"]);
  });

  it("compares placement times as instants, not text, across offsets", () => {
    const q = given(
      placed("h-1", "P1", { placedAt: "2025-03-01T10:00:00+02:00" }),
      placed("h-2", "P2", { placedAt: "2025-03-01T09:30:00Z" }),
    );
    expect(q.holds.map((h) => h.holdId)).toEqual(["h-1", "h-2"]);
  });
});
