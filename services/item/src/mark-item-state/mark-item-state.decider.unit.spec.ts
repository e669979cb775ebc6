import { describe, expect, it } from "vitest";
import { given, givenIn, ITEM, marked } from "../domain/item.fixtures.js";
import { ITEM_STATUSES, type ItemStatus } from "../domain/item.state.js";
import { decideMarkItemState, type MarkItemState } from "./mark-item-state.decider.js";

const mark = (type: MarkItemState["type"]): MarkItemState => ({ type, item: ITEM });

/** "move" = one event to the target; "same" = accepted, no event; otherwise the refusal reason. */
function outcome(type: MarkItemState["type"], from: ItemStatus): string {
  const d = decideMarkItemState(mark(type), givenIn(from));
  if (d.outcome === "refused") return d.reason;
  return d.events.length === 0 ? "same" : "move";
}

// Columns follow ITEM_STATUSES:
//   available, on_loan, on_hold_shelf, in_transit, missing, lost, claimed_returned, in_process
const MATRIX: Record<MarkItemState["type"], readonly string[]> = {
  MarkOnLoan: ["move", "same", "move", "move", "move", "move", "move", "move"],
  MarkLost: ["move", "move", "move", "move", "move", "same", "move", "move"],
  MarkMissing: ["move", "item_on_loan", "move", "move", "same", "item_lost", "item_claimed_returned", "move"],
  MarkClaimedReturned: [
    "item_not_on_loan",
    "move",
    "item_not_on_loan",
    "item_not_on_loan",
    "item_not_on_loan",
    "move",
    "same",
    "item_not_on_loan",
  ],
  MarkInProcess: ["move", "item_on_loan", "item_on_hold_shelf", "move", "move", "item_lost", "item_claimed_returned", "same"],
  MarkAvailable: ["same", "item_on_loan", "move", "move", "move", "item_lost", "item_claimed_returned", "move"],
};

describe("item state changes (Mark… commands)", () => {
  for (const [type, row] of Object.entries(MATRIX) as [MarkItemState["type"], readonly string[]][]) {
    it(`${type}: allowed, repeated and refused transitions follow the table`, () => {
      const actual = ITEM_STATUSES.map((from) => outcome(type, from));
      expect(Object.fromEntries(ITEM_STATUSES.map((s, i) => [s, actual[i]]))).toEqual(
        Object.fromEntries(ITEM_STATUSES.map((s, i) => [s, row[i]])),
      );
    });
  }

  it("a checkout is recorded from every state: the loan service already decided (or it was a no-block checkout)", () => {
    for (const from of ITEM_STATUSES) expect(outcome("MarkOnLoan", from), from).not.toMatch(/^item_/);
  });

  it("staff cannot take an item with an open loan off it: on loan, lost and claimed returned leave through a checkin", () => {
    expect(outcome("MarkAvailable", "on_loan")).toBe("item_on_loan");
    expect(outcome("MarkAvailable", "lost")).toBe("item_lost");
    expect(outcome("MarkAvailable", "claimed_returned")).toBe("item_claimed_returned");
    expect(outcome("MarkMissing", "on_loan")).toBe("item_on_loan");
    expect(outcome("MarkInProcess", "on_loan")).toBe("item_on_loan");
  });

  it("a claim of return is refused for an item that is not on loan", () => {
    expect(outcome("MarkClaimedReturned", "available")).toBe("item_not_on_loan");
  });

  it("each move emits the event of its target state and the state follows", () => {
    const cases = [
      ["MarkOnLoan", "ItemMarkedOnLoan", "on_loan"],
      ["MarkMissing", "ItemMarkedMissing", "missing"],
      ["MarkLost", "ItemMarkedLost", "lost"],
      ["MarkInProcess", "ItemMarkedInProcess", "in_process"],
    ] as const;
    for (const [type, event, state] of cases) {
      const d = decideMarkItemState(mark(type), givenIn("available"));
      expect(d.events).toEqual([marked(event)]);
      expect(givenIn("available", ...d.events).circulation.state).toBe(state);
    }
    const claim = decideMarkItemState(mark("MarkClaimedReturned"), givenIn("on_loan"));
    expect(givenIn("on_loan", ...claim.events).circulation.state).toBe("claimed_returned");
    const back = decideMarkItemState(mark("MarkAvailable"), givenIn("missing"));
    expect(givenIn("missing", ...back.events).circulation.state).toBe("available");
  });

  it("a refusal carries no event and says which state was in the way", () => {
    expect(decideMarkItemState(mark("MarkMissing"), givenIn("on_loan"))).toEqual({
      outcome: "refused",
      reason: "item_on_loan",
      detail: "MarkMissing: item is on_loan",
      events: [],
    });
  });

  it("refuses every command for an unknown item", () => {
    for (const type of Object.keys(MATRIX) as MarkItemState["type"][]) {
      expect(decideMarkItemState(mark(type), given())).toMatchObject({ outcome: "refused", reason: "item_not_found" });
    }
  });
});
