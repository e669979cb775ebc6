import { describe, expect, it } from "vitest";
import { given, key, placed, trapped } from "../domain/hold.fixtures.js";
import { HoldQueueMismatchError, holdFactsForItem, holdFactsForPatron, someoneElseWaiting, trappedForSomeoneElse } from "./hold-facts.view.js";

const now = "2025-03-01T12:00:00Z";
const TITLE = "title-moby";

describe("hold facts for the loan service's checkout and renewal", () => {
  it("blocks other patrons from a trapped copy, and lets its hold patron have it", () => {
    const q = given(placed("h-1", "P1"), placed("h-2", "P2"), trapped("h-1", "P1", "I1"));
    const facts = holdFactsForItem(q, "I1", TITLE, now);
    expect(facts).toMatchObject({ trappedFor: key("P1"), trappedHoldId: "h-1", titleQueueLength: 2 });
    expect(trappedForSomeoneElse(facts, key("P2"))).toBe(true);
    expect(trappedForSomeoneElse(facts, key("P1"))).toBe(false);
  });

  it("reports patrons with holds on this very copy and those whose holds it could fill", () => {
    const q = given(
      placed("h-1", "P1", { target: { kind: "item", itemBarcode: "I1" } }),
      placed("h-2", "P2", { target: { kind: "item", itemBarcode: "I2" } }),
      placed("h-3", "P3", { expiresAt: "2025-02-01T00:00:00Z" }),
      placed("h-4", "P4"),
    );
    expect(holdFactsForItem(q, "I1", TITLE, now)).toEqual({
      trappedFor: null,
      trappedHoldId: null,
      itemLevelHoldPatrons: [key("P1")],
      titleQueueLength: 4,
      waitingPatrons: [key("P1"), key("P4")],
    });
  });

  it("refuses a renewal while another patron waits for the title, not for the patron's own hold", () => {
    const q = given(placed("h-1", "P1"));
    expect(someoneElseWaiting(holdFactsForItem(q, "I1", TITLE, now), key("P2"))).toBe(true);
    expect(someoneElseWaiting(holdFactsForItem(q, "I1", TITLE, now), key("P1"))).toBe(false);
    expect(someoneElseWaiting(holdFactsForItem(given(), "I1", TITLE, now), key("P1"))).toBe(false);
  });

  it("does not count a hold waiting for another copy, already trapped elsewhere", () => {
    const q = given(placed("h-1", "P1"), trapped("h-1", "P1", "I9"));
    expect(someoneElseWaiting(holdFactsForItem(q, "I1", TITLE, now), key("P2"))).toBe(false);
  });

  it("answers one patron's checkout or renewal in the loan service's shape", () => {
    const q = given(placed("h-1", "P1"), placed("h-2", "P2"), trapped("h-1", "P1", "I1"));
    expect(holdFactsForPatron(holdFactsForItem(q, "I1", TITLE, now), key("P2"))).toEqual({
      trappedFor: key("P1"),
      itemLevelHoldPatrons: [],
      titleQueueLength: 2,
      someoneElseWaiting: true,
    });
  });

  it("throws when asked about a title the queue is not for", () => {
    expect(() => holdFactsForItem(given(placed("h-1", "P1")), "I1", "another-title", now)).toThrow(HoldQueueMismatchError);
  });
});
