import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { decideFulfilHold, type FulfilHold } from "./fulfil-hold.decider.js";
import { given, INSTITUTION, idOf, key, placed, TITLE, trapped } from "../domain/hold.fixtures.js";
import { type HoldQueueEvent, positionOf } from "../domain/index.js";

const checkout: FulfilHold = { patronKey: key("P1"), institution: INSTITUTION, titleKey: TITLE, itemBarcode: "I1", itemBranch: "MAIN", offline: false };
const history: HoldQueueEvent[] = [placed("h-1", "P1"), placed("h-2", "P2"), placed("h-3", "P3"), ...trapped("h-1", "P1", "I1")];
const when = (over: Partial<FulfilHold>, events = history) => decideFulfilHold({ ...checkout, ...over }, given(...events));
const copy = (barcode: string) => ({ institutionId: INSTITUTION, barcode });

describe("FulfilHold (checkout by the hold patron)", () => {
  it("fulfils the hold the copy was trapped for and advances the queue", () => {
    const d = when({});
    expect(d.events).toEqual([domainEvent("HoldFulfilled", { holdId: "h-1", patronId: idOf("P1"), titleId: TITLE, item: copy("I1") })]);
    const after = given(...history, ...d.events);
    expect([positionOf(after, "h-2"), positionOf(after, "h-3")]).toEqual([1, 2]);
  });

  it("refuses to fulfil anything when the copy is trapped for another patron", () => {
    expect(when({ patronKey: key("P2") })).toMatchObject({ outcome: "refused", reason: "item_on_hold_for_other", events: [] });
  });

  it("puts the other patron's hold back in its place when a no-block checkout took its copy", () => {
    const d = when({ patronKey: key("P2"), offline: true });
    expect(d.events.map((e) => e.type)).toEqual(["HoldTrapReleased", "HoldFulfilled"]);
    expect(d.events[0]?.data).toMatchObject({ holdId: "h-1", patronId: idOf("P1"), item: copy("I1"), reason: "checked_out_to_other" });
    expect(d).toMatchObject({ data: { untrappedHoldId: "h-1", fulfilledHoldId: "h-2" } });
    const after = given(...history, ...d.events);
    expect(after.holds.map((h) => [h.holdId, h.status])).toEqual([
      ["h-1", "waiting"],
      ["h-3", "waiting"],
    ]);
  });

  it("fulfils a patron's title hold with any copy they borrow, freeing the copy trapped for them", () => {
    const d = when({ itemBarcode: "I2" });
    expect(d).toMatchObject({
      data: { fulfilledHoldId: "h-1", releasedItem: "I1" },
      events: [{ type: "HoldFulfilled", data: { item: copy("I2"), releasedItem: copy("I1") } }],
    });
  });

  it("does not fulfil a hold on a specific copy with another copy", () => {
    const d = when({ patronKey: key("P4"), itemBarcode: "I2" }, [placed("h-4", "P4", { target: { kind: "item", itemBarcode: "I9" } })]);
    expect(d).toEqual({ outcome: "accepted", events: [], data: { fulfilledHoldId: null, releasedItem: null, untrappedHoldId: null } });
  });

  it("records nothing for a patron without a hold on the title", () => {
    expect(when({ patronKey: key("P9"), itemBarcode: "I5" })).toMatchObject({ outcome: "accepted", events: [] });
  });
});
