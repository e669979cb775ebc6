import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { given, INSTITUTION, idOf, key, placed, TITLE, trapped } from "../domain/hold.fixtures.js";
import { positionOf } from "../domain/index.js";
import { decideCancelHold } from "./cancel-hold.decider.js";

const history = [placed("h-1", "P1"), placed("h-2", "P2"), placed("h-3", "P3", { expiresAt: "2025-05-01T00:00:00Z" })];
const ref = (patron: string) => ({ patronKey: key(patron), institution: INSTITUTION, titleKey: TITLE, holdId: null });

describe("CancelHold (15 -)", () => {
  it("removes the patron's hold and moves everyone behind it up", () => {
    const d = decideCancelHold(ref("P1"), given(...history));
    expect(d.events).toEqual([domainEvent("HoldCancelled", { holdId: "h-1", patronId: idOf("P1"), titleId: TITLE })]);
    const after = given(...history, ...d.events);
    expect([positionOf(after, "h-1"), positionOf(after, "h-2"), positionOf(after, "h-3")]).toEqual([undefined, 1, 2]);
  });

  it("refuses when the patron has no hold on the title", () => {
    expect(decideCancelHold(ref("P9"), given(...history))).toMatchObject({ outcome: "refused", reason: "hold_not_found" });
  });

  it("refuses when the hold id given is not the patron's hold", () => {
    expect(decideCancelHold({ ...ref("P1"), holdId: "h-2" }, given(...history))).toMatchObject({ reason: "hold_not_found" });
  });

  it("refuses a second cancel of the same hold", () => {
    const once = decideCancelHold(ref("P1"), given(...history)).events;
    expect(decideCancelHold(ref("P1"), given(...history, ...once))).toMatchObject({ reason: "hold_not_found" });
  });

  it("frees the trapped copy of a cancelled hold so it can be trapped for the next", () => {
    const d = decideCancelHold(ref("P1"), given(...history, trapped("h-1", "P1", "I1")));
    expect(d).toMatchObject({ data: { holdId: "h-1", releasedItem: "I1" }, events: [{ data: { releasedItem: { institutionId: INSTITUTION, barcode: "I1" } } }] });
  });
});
