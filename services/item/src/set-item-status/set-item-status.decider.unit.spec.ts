import { describe, expect, it } from "vitest";
import { ELSEWHERE, foundAt, givenIn, HOME, ITEM, MAIN_DESK, sentFrom } from "../domain/item.fixtures.js";
import type { Location } from "../domain/item.record.js";
import { evolveItem, type ItemStatus } from "../domain/index.js";
import { decideSetItemStatus, type SetItemStatus } from "./set-item-status.decider.js";
import { domainEvent } from "@circulate/contracts";
import { fold } from "@circulate/domain";

const missing = (staff = "jdoe", reason = "not on the shelf at inventory"): SetItemStatus => ({
  type: "SetItemStatus",
  item: ITEM,
  status: "missing",
  staff,
  reason,
  foundAt: null,
});
const found = (at: Location | null = null): SetItemStatus => ({ type: "SetItemStatus", item: ITEM, status: "found", staff: "jdoe", reason: "on the returns cart", foundAt: at });

describe("SetItemStatus missing (staff)", () => {
  it("marks an item on the shelf missing, naming the staff member and the reason (trimmed)", () => {
    const d = decideSetItemStatus(missing(" jdoe ", " inventory "), givenIn("available"));
    expect(d.events).toEqual([domainEvent("ItemMarkedMissing", { staff: "jdoe", note: "inventory" })]);
    expect(fold(evolveItem, givenIn("available"), d.events)).toMatchObject({ circulation: { state: "missing" } });
  });

  it("follows the transition table: from the hold shelf, in transit or in process it may; on loan, lost or claimed returned it is refused", () => {
    for (const from of ["on_hold_shelf", "in_transit", "in_process"] as const) expect(decideSetItemStatus(missing(), givenIn(from)).outcome, from).toBe("accepted");
    const refusals: [ItemStatus, string][] = [
      ["on_loan", "item_on_loan"],
      ["lost", "item_lost"],
      ["claimed_returned", "item_claimed_returned"],
    ];
    for (const [from, reason] of refusals) expect(decideSetItemStatus(missing(), givenIn(from)), from).toMatchObject({ outcome: "refused", reason });
  });

  it("missing again records nothing", () => {
    expect(decideSetItemStatus(missing(), givenIn("missing"))).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("refuses without a staff name or a reason", () => {
    expect(decideSetItemStatus(missing(" "), givenIn("available"))).toMatchObject({ outcome: "refused", reason: "staff_required" });
    expect(decideSetItemStatus(missing("jdoe", ""), givenIn("available"))).toMatchObject({ outcome: "refused", reason: "reason_required" });
  });
});

describe("SetItemStatus found (staff)", () => {
  it("a missing item found where it was last recorded is available there", () => {
    const d = decideSetItemStatus(found(), givenIn("missing"));
    expect(d).toMatchObject({ outcome: "accepted", data: { next: "available", location: HOME } });
    expect(d.events).toEqual([foundAt(HOME, "jdoe", "on the returns cart")]);
    expect(fold(evolveItem, givenIn("missing"), d.events)).toMatchObject({ currentLocation: HOME, circulation: { state: "available" } });
  });

  it("found at another location of its owner, it stays there (items float within their institution)", () => {
    const d = decideSetItemStatus(found(MAIN_DESK), givenIn("missing"));
    expect(d.events).toEqual([foundAt(MAIN_DESK, "jdoe", "on the returns cart")]);
  });

  it("found at another institution, it goes home in transit, as after a return there", () => {
    const d = decideSetItemStatus(found(ELSEWHERE), givenIn("missing"));
    expect(d.events).toEqual([foundAt(ELSEWHERE, "jdoe", "on the returns cart"), sentFrom(ELSEWHERE, HOME, "return_home")]);
    expect(fold(evolveItem, givenIn("missing"), d.events)).toMatchObject({
      currentLocation: ELSEWHERE,
      circulation: { state: "in_transit", destination: HOME, reason: "return_home" },
    });
  });

  it("found while already on the shelf records nothing", () => {
    expect(decideSetItemStatus(found(), givenIn("available"))).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("is refused for an item that is not missing: lost and claimed-returned items come back by a checkin, which closes their loan", () => {
    const refusals: [ItemStatus, string][] = [
      ["on_loan", "item_on_loan"],
      ["lost", "item_lost"],
      ["claimed_returned", "item_claimed_returned"],
      ["in_transit", "item_in_transit"],
      ["on_hold_shelf", "item_on_hold_shelf"],
      ["in_process", "item_in_process"],
    ];
    for (const [from, reason] of refusals) expect(decideSetItemStatus(found(), givenIn(from)), from).toMatchObject({ outcome: "refused", reason, events: [] });
  });
});
