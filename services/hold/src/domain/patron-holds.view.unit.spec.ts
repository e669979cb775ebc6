import { describe, expect, it } from "vitest";
import { given, key, placed, trapped } from "./hold.fixtures.js";
import { patronHoldsView } from "./patron-holds.view.js";

describe("patron holds view for 63/64", () => {
  it("splits the patron's holds into available (on the shelf) and unavailable (queued or in transit)", () => {
    const moby = given(placed("h-1", "P1"), placed("h-2", "P2"), trapped("h-1", "P1", "I1"));
    const emma = given(
      placed("e-1", "P3", { titleKey: "title-emma" }),
      placed("e-2", "P2", { titleKey: "title-emma", target: { kind: "item", itemBarcode: "E7" }, expiresAt: "2025-09-01T00:00:00Z" }),
    );
    const ulysses = given(
      placed("u-1", "P2", { titleKey: "title-ulysses", pickupLocation: "EAST" }),
      trapped("u-1", "P2", "U1", { titleKey: "title-ulysses", inTransit: true, pickupLocation: "EAST" }),
    );
    const view = patronHoldsView([moby, emma, ulysses], key("P2"));
    expect(view.available).toEqual([]);
    expect(view.unavailable.map((h) => [h.holdId, h.status, h.position, h.itemBarcode])).toEqual([
      ["h-2", "waiting", 2, null],
      ["e-2", "waiting", 2, "E7"],
      ["u-1", "in_transit", 1, "U1"],
    ]);
    expect(patronHoldsView([moby, emma], key("P1"))).toEqual({
      available: [
        {
          holdId: "h-1",
          titleKey: "title-moby",
          holdType: "2",
          itemBarcode: "I1",
          status: "on_shelf",
          position: 1,
          pickupLocation: "MAIN",
          expiresAt: null,
          shelfExpiresAt: "2025-02-08T21:59:59.000Z",
        },
      ],
      unavailable: [],
    });
  });
});
