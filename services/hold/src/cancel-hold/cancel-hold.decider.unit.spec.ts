import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { given, INSTITUTION, idOf, key, placed, TITLE, trapped } from "../domain/hold.fixtures.js";
import { positionOf } from "../domain/index.js";
import { decideCancelHold, decideStaffCancelHold } from "./cancel-hold.decider.js";

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

describe("CancelHold by staff (admin API): the rule of 15 -, recording who and why", () => {
  const byStaff = (holdId: string, patron: string, staff = "jdoe", reason = "patron asked at the desk") => ({
    hold: { ...ref(patron), holdId },
    staff,
    reason,
  });

  it("cancels the hold, moving everyone behind it up, with the staff member and the reason (trimmed) and no terminal", () => {
    const d = decideStaffCancelHold(byStaff("h-1", "P1", " jdoe ", " moved away "), given(...history), null);
    expect(d.events).toEqual([
      domainEvent("HoldCancelled", { holdId: "h-1", patronId: idOf("P1"), titleId: TITLE, staff: "jdoe", reason: "moved away", terminalAccount: "" }),
    ]);
    const after = given(...history, ...d.events);
    expect([positionOf(after, "h-1"), positionOf(after, "h-2")]).toEqual([undefined, 1]);
  });

  it("frees a trapped copy as 15 - does", () => {
    const d = decideStaffCancelHold(byStaff("h-1", "P1"), given(...history, trapped("h-1", "P1", "I1")), null);
    expect(d).toMatchObject({ data: { releasedItem: "I1" }, events: [{ data: { releasedItem: { barcode: "I1" }, staff: "jdoe" } }] });
  });

  it("a hold already cancelled is answered as done and records nothing; a fulfilled or expired one is refused", () => {
    const once = decideStaffCancelHold(byStaff("h-1", "P1"), given(...history), null).events;
    expect(decideStaffCancelHold(byStaff("h-1", "P1"), given(...history, ...once), "cancelled")).toMatchObject({ outcome: "accepted", events: [] });
    expect(decideStaffCancelHold(byStaff("h-1", "P1"), given(...history), "fulfilled")).toMatchObject({ outcome: "refused", reason: "hold_closed" });
    expect(decideStaffCancelHold(byStaff("h-1", "P1"), given(...history), "expired")).toMatchObject({ outcome: "refused", reason: "hold_closed" });
  });

  it("refuses without a staff name or a reason, and a hold id the queue does not hold for that patron", () => {
    expect(decideStaffCancelHold(byStaff("h-1", "P1", "  "), given(...history), null)).toMatchObject({ reason: "staff_required", events: [] });
    expect(decideStaffCancelHold(byStaff("h-1", "P1", "jdoe", ""), given(...history), null)).toMatchObject({ reason: "reason_required" });
    expect(decideStaffCancelHold(byStaff("h-2", "P1"), given(...history), null)).toMatchObject({ reason: "hold_not_found" });
  });
});
