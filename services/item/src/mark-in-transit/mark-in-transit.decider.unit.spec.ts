import { describe, expect, it } from "vitest";
import { ELSEWHERE, given, givenIn, HOME, ITEM, MAIN_DESK, sentFrom } from "../domain/item.fixtures.js";
import type { TransitReason } from "../domain/item.state.js";
import { decideMarkInTransit } from "./mark-in-transit.decider.js";

const send = (destination = ELSEWHERE, reason: TransitReason = "manual") =>
  ({ type: "MarkInTransit", item: ITEM, destination, reason }) as const;
// Every given item is at HOME, where a transit leaves from.
const sent = (destination = ELSEWHERE, reason: TransitReason = "manual") => sentFrom(HOME, destination, reason);

describe("MarkInTransit", () => {
  it("sends an available item to its destination; it keeps its current location until it arrives", () => {
    const d = decideMarkInTransit(send(), givenIn("available"));
    expect(d.events).toEqual([sent()]);
    expect(givenIn("available", ...d.events)).toMatchObject({
      circulation: { state: "in_transit", destination: ELSEWHERE, reason: "manual" },
      currentLocation: HOME,
    });
  });

  it("sends items from the hold shelf and from processing", () => {
    expect(decideMarkInTransit(send(), givenIn("on_hold_shelf")).events).toEqual([sent()]);
    expect(decideMarkInTransit(send(), givenIn("in_process")).events).toEqual([sent()]);
  });

  it("the same transit again changes nothing; another destination re-routes it", () => {
    expect(decideMarkInTransit(send(), givenIn("in_transit"))).toMatchObject({ outcome: "accepted", events: [] });
    expect(decideMarkInTransit(send(MAIN_DESK), givenIn("in_transit")).events).toEqual([sent(MAIN_DESK)]);
  });

  it("refuses a transit to where the item already is", () => {
    expect(decideMarkInTransit(send(HOME), givenIn("available"))).toMatchObject({
      outcome: "refused",
      reason: "already_at_destination",
    });
  });

  it("refuses an item on loan, missing, lost or claimed returned", () => {
    expect(decideMarkInTransit(send(), givenIn("on_loan"))).toMatchObject({ reason: "item_on_loan" });
    expect(decideMarkInTransit(send(), givenIn("missing"))).toMatchObject({ reason: "item_missing" });
    expect(decideMarkInTransit(send(), givenIn("lost"))).toMatchObject({ reason: "item_lost" });
    expect(decideMarkInTransit(send(), givenIn("claimed_returned"))).toMatchObject({ reason: "item_claimed_returned" });
  });

  it("refuses an unknown item", () => {
    expect(decideMarkInTransit(send(), given())).toMatchObject({ outcome: "refused", reason: "item_not_found" });
  });
});
