import { common, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { at, given, INSTITUTION, idOf, placed, TITLE } from "../domain/hold.fixtures.js";
import { positionOf } from "../domain/index.js";
import { decidePlaceHold, type PlaceHold, type PlaceHoldFacts } from "./place-hold.decider.js";

const now = "2025-03-01T12:00:00Z";
const card = (barcode: string) => ({ institutionId: INSTITUTION, barcode });
const add: PlaceHold = {
  holdId: "h-new",
  patron: card("P9"),
  institution: INSTITUTION,
  titleKey: TITLE,
  holdType: "2",
  itemBarcode: null,
  pickupLocation: "EAST",
  expiresAt: "2025-06-01T21:59:59Z",
};
const facts: PlaceHoldFacts = {
  patron: { found: true, holdPrivilegesDenied: false },
  target: { found: true, holdable: true, availableNow: false },
  defaultPickupLocation: "MAIN",
  pickupLocations: ["MAIN", "EAST"],
};
const queueOfTwo = given(placed("h-1", "P1"), placed("h-2", "P2"));
const when = (command: Partial<PlaceHold> = {}, f: Partial<PlaceHoldFacts> = {}, queue = queueOfTwo) =>
  decidePlaceHold({ ...add, ...command }, queue, { ...facts, ...f }, now);

describe("PlaceHold (15 +)", () => {
  it("adds the hold at the end of the title's queue and reports its position, pickup and expiry", () => {
    const d = when();
    expect(d).toEqual({
      outcome: "accepted",
      events: [
        domainEvent("HoldPlaced", {
          holdId: "h-new",
          patron: card("P9"),
          holdType: common.HoldType.ANY_COPY,
          titleId: TITLE,
          pickupLocation: "EAST",
          expiresAt: at("2025-06-01T21:59:59Z"),
          placedAt: at(now),
        }),
      ],
      data: {
        holdId: "h-new",
        titleKey: TITLE,
        itemBarcode: null,
        queuePosition: 3,
        available: false,
        expiresAt: "2025-06-01T21:59:59Z",
        pickupLocation: "EAST",
      },
    });
    expect(positionOf(given(placed("h-1", "P1"), placed("h-2", "P2"), ...d.events), "h-new")).toBe(3);
  });

  it("numbers positions from 1 in creation order", () => {
    expect(when({}, {}, given())).toMatchObject({ data: { queuePosition: 1 } });
  });

  it("holds the very copy for hold type 3, and only names the title otherwise", () => {
    const T = common.HoldType;
    expect(when({ holdType: "3", itemBarcode: "I7" }).events[0]?.data).toMatchObject({ holdType: T.SPECIFIC_COPY, item: { institutionId: INSTITUTION, barcode: "I7" } });
    expect(when({ holdType: "2", itemBarcode: "I7" }).events[0]?.data).toMatchObject({ holdType: T.ANY_COPY, item: undefined });
    expect(when({ holdType: "1" }).events[0]?.data).toMatchObject({ holdType: T.OTHER, item: undefined });
    expect(when({ holdType: "4" }).events[0]?.data).toMatchObject({ holdType: T.ANY_COPY_AT_LOCATION, item: undefined });
    const targets = (["3", "2", "1", "4"] as const).map((holdType) => given(...when({ holdType, itemBarcode: "I7" }, {}, given()).events).holds[0]?.target);
    expect(targets).toEqual([{ kind: "item", itemBarcode: "I7" }, { kind: "title" }, { kind: "title" }, { kind: "branch" }]);
  });

  it("reports available when a copy can be had now", () => {
    expect(when({}, { target: { found: true, holdable: true, availableNow: true } })).toMatchObject({ data: { available: true } });
  });

  it("uses the default pickup location when 15 names none", () => {
    expect(when({ pickupLocation: null })).toMatchObject({ data: { pickupLocation: "MAIN" } });
  });

  it("refuses a duplicate: the patron already holds this title", () => {
    expect(when({ patron: card("P2") })).toMatchObject({ outcome: "refused", reason: "duplicate_hold", events: [] });
  });

  it("refuses a second hold on the same title even for a specific copy", () => {
    expect(when({ patron: card("P1"), holdType: "3", itemBarcode: "I7" })).toMatchObject({ reason: "duplicate_hold" });
  });

  it("refuses a patron whose standing denies hold privileges, or who is unknown", () => {
    expect(when({}, { patron: { found: true, holdPrivilegesDenied: true } })).toMatchObject({ reason: "hold_privileges_denied" });
    expect(when({}, { patron: { found: false, holdPrivilegesDenied: false } })).toMatchObject({ reason: "patron_not_found" });
  });

  it("refuses an unknown title or item", () => {
    const missing = { target: { found: false, holdable: false, availableNow: false } };
    expect(when({}, missing)).toMatchObject({ reason: "title_not_found" });
    expect(when({ holdType: "3", itemBarcode: "nope" }, missing)).toMatchObject({ reason: "item_not_found" });
  });

  it("refuses an item that cannot be held (non-circulating)", () => {
    expect(when({}, { target: { found: true, holdable: false, availableNow: true } })).toMatchObject({ reason: "item_not_holdable" });
  });

  it("refuses a copy-specific hold without an item, and an unknown hold type", () => {
    expect(when({ holdType: "3", itemBarcode: null })).toMatchObject({ reason: "item_required" });
    expect(when({ holdType: "7" })).toMatchObject({ reason: "hold_type_unknown" });
  });

  it("refuses a pickup location that is not one, or none at all", () => {
    expect(when({ pickupLocation: "MOON" })).toMatchObject({ reason: "pickup_location_invalid" });
    expect(when({ pickupLocation: null }, { defaultPickupLocation: null })).toMatchObject({ reason: "pickup_location_required" });
    expect(when({ pickupLocation: "MOON" }, { pickupLocations: null })).toMatchObject({ outcome: "accepted" });
  });

  it("refuses an expiry date already past, or unreadable", () => {
    expect(when({ expiresAt: "2025-02-01T00:00:00Z" })).toMatchObject({ reason: "expiry_in_past" });
    expect(when({ expiresAt: "20250601    235959" })).toMatchObject({ reason: "dates_invalid" });
  });

  it("refuses to reuse the id of a hold that existed", () => {
    const closed = given(placed("h-new", "P5"), domainEvent("HoldCancelled", { holdId: "h-new", patronId: idOf("P5"), titleId: TITLE }));
    expect(when({}, {}, closed)).toMatchObject({ reason: "hold_id_taken" });
  });
});
