import { describe, expect, it } from "vitest";
import type { Location } from "../domain/item.record.js";
import { ELSEWHERE, given, givenIn, HOME, ITEM, MAIN_DESK, placedAt, returnedAt, sentFrom } from "../domain/item.fixtures.js";
import { ITEM_STATUSES } from "../domain/item.state.js";
import { decideMarkReturned, type MarkReturned } from "./mark-returned.decider.js";

const returned = (location: Location, pickup?: Location): MarkReturned => ({
  type: "MarkReturned",
  item: ITEM,
  location,
  trap: pickup ? { pickup } : null,
});
const back = (location: Location) => returnedAt(location);

describe("MarkReturned (checkin)", () => {
  it("an item returned within its owner's institution is available where it was returned", () => {
    const d = decideMarkReturned(returned(HOME), givenIn("on_loan"));
    expect(d).toEqual({ outcome: "accepted", events: [back(HOME)], data: { next: "available", location: HOME } });
    expect(givenIn("on_loan", ...d.events)).toMatchObject({ circulation: { state: "available" }, currentLocation: HOME });
  });

  it("floats within the owner's institution: returned at another location, it stays there", () => {
    const d = decideMarkReturned(returned(MAIN_DESK), givenIn("on_loan"));
    expect(d.events).toEqual([back(MAIN_DESK)]);
    expect(givenIn("on_loan", ...d.events).currentLocation).toEqual(MAIN_DESK);
  });

  it("returned at another institution, it goes in transit home to its owner's permanent location", () => {
    const d = decideMarkReturned(returned(ELSEWHERE), givenIn("on_loan"));
    expect(d.events).toEqual([
      back(ELSEWHERE),
      sentFrom(ELSEWHERE, HOME, "return_home"),
    ]);
    expect(d).toMatchObject({ data: { next: "in_transit", destination: HOME, reason: "return_home" } });
    expect(givenIn("on_loan", ...d.events)).toMatchObject({
      circulation: { state: "in_transit", destination: HOME },
      currentLocation: ELSEWHERE,
    });
  });

  it("trapped for a hold picked up here, it goes onto the hold shelf", () => {
    const d = decideMarkReturned(returned(MAIN_DESK, MAIN_DESK), givenIn("on_loan"));
    expect(d.events).toEqual([back(MAIN_DESK), placedAt(MAIN_DESK)]);
    expect(givenIn("on_loan", ...d.events).circulation).toEqual({ state: "on_hold_shelf", pickup: MAIN_DESK });
  });

  it("trapped for a hold picked up elsewhere, it goes in transit to the pickup location (even across institutions)", () => {
    const d = decideMarkReturned(returned(HOME, ELSEWHERE), givenIn("on_loan"));
    expect(d.events).toEqual([back(HOME), sentFrom(HOME, ELSEWHERE, "hold")]);
  });

  it("a transit arrives when checked in at its destination", () => {
    const inTransitHome = givenIn("on_loan", back(ELSEWHERE), sentFrom(ELSEWHERE, HOME, "return_home"));
    const d = decideMarkReturned(returned(HOME), inTransitHome);
    expect(d.events).toEqual([back(HOME)]);
  });

  it("a missing, lost, claimed returned or in-process item that is checked in is found and available", () => {
    for (const from of ["missing", "lost", "claimed_returned", "in_process"] as const) {
      const d = decideMarkReturned(returned(HOME), givenIn(from));
      expect(d.events, from).toEqual([back(HOME)]);
      expect(givenIn(from, ...d.events).circulation.state, from).toBe("available");
    }
  });

  it("is accepted from every state: a checkin is always physically possible", () => {
    for (const from of ITEM_STATUSES) expect(decideMarkReturned(returned(ELSEWHERE), givenIn(from)).outcome, from).toBe("accepted");
  });

  it("a re-scan that would put the item where it already is changes nothing", () => {
    expect(decideMarkReturned(returned(HOME), givenIn("available"))).toMatchObject({ outcome: "accepted", events: [] });
    const sent = givenIn("on_loan", back(ELSEWHERE), sentFrom(ELSEWHERE, HOME, "return_home"));
    expect(decideMarkReturned(returned(ELSEWHERE), sent)).toMatchObject({ events: [], data: { next: "in_transit" } });
    const shelved = givenIn("available", placedAt(MAIN_DESK));
    expect(decideMarkReturned(returned(MAIN_DESK, MAIN_DESK), shelved)).toMatchObject({ events: [] });
  });

  it("an available item checked in at another location moves there", () => {
    expect(decideMarkReturned(returned(MAIN_DESK), givenIn("available")).events).toEqual([back(MAIN_DESK)]);
  });

  it("an item on the hold shelf checked in with no hold waiting any more goes back to the shelf", () => {
    const d = decideMarkReturned(returned(HOME), givenIn("on_hold_shelf"));
    expect(d.events).toEqual([back(HOME)]);
    expect(givenIn("on_hold_shelf", ...d.events).circulation.state).toBe("available");
  });

  it("refuses an unknown item", () => {
    expect(decideMarkReturned(returned(HOME), given())).toEqual({ outcome: "refused", reason: "item_not_found", events: [] });
  });
});
