import { describe, expect, it } from "vitest";
import { ELSEWHERE, given, givenIn, ITEM, MAIN_DESK, placedAt } from "../domain/item.fixtures.js";
import { decideMarkOnHoldShelf } from "./mark-on-hold-shelf.decider.js";

const trap = (pickup = MAIN_DESK) => ({ type: "MarkOnHoldShelf", item: ITEM, pickup }) as const;
const placed = (pickup = MAIN_DESK) => placedAt(pickup);

describe("MarkOnHoldShelf (hold service)", () => {
  it("puts an available item on the hold shelf at the pickup location", () => {
    const d = decideMarkOnHoldShelf(trap(), givenIn("available"));
    expect(d.events).toEqual([placed()]);
    expect(givenIn("available", ...d.events)).toMatchObject({
      circulation: { state: "on_hold_shelf", pickup: MAIN_DESK },
      currentLocation: MAIN_DESK,
    });
  });

  it("puts an item in transit on the hold shelf when it reaches its pickup location", () => {
    expect(decideMarkOnHoldShelf(trap(ELSEWHERE), givenIn("in_transit")).events).toEqual([placed(ELSEWHERE)]);
  });

  it("the same trap again changes nothing; another pickup location moves it", () => {
    const state = givenIn("available", placed());
    expect(decideMarkOnHoldShelf(trap(), state)).toMatchObject({ outcome: "accepted", events: [] });
    expect(decideMarkOnHoldShelf(trap(ELSEWHERE), state).events).toEqual([placed(ELSEWHERE)]);
  });

  it("refuses an item on loan, missing, lost, claimed returned or in process", () => {
    const expected = {
      on_loan: "item_on_loan",
      missing: "item_missing",
      lost: "item_lost",
      claimed_returned: "item_claimed_returned",
      in_process: "item_in_process",
    } as const;
    for (const [from, reason] of Object.entries(expected) as [keyof typeof expected, string][]) {
      expect(decideMarkOnHoldShelf(trap(), givenIn(from)), from).toMatchObject({ outcome: "refused", reason, events: [] });
    }
  });

  it("refuses an unknown item", () => {
    expect(decideMarkOnHoldShelf(trap(), given())).toMatchObject({ outcome: "refused", reason: "item_not_found" });
  });
});
