import { describe, expect, it } from "vitest";
import type { HoldEvent } from "./hold.events.js";
import { given, placed, TITLE, trapped } from "./hold.fixtures.js";
import { type ApplyCheckinTrap, decideApplyCheckinTrap, decideTrapOnCheckin, type TrapFacts, type TrapOnCheckin } from "./trap.decider.js";

const now = "2025-03-01T12:00:00Z";
const checkin: TrapOnCheckin = { titleKey: TITLE, itemBarcode: "I1", itemBranch: "MAIN", checkinLocation: "MAIN" };
const facts: TrapFacts = { shelfExpiresAt: "2025-03-08T22:59:59Z", patronNames: { P1: "Ishmael", P2: "Queequeg" } };
const when = (history: HoldEvent[], over: Partial<TrapOnCheckin> = {}, at = now) => decideTrapOnCheckin({ ...checkin, ...over }, given(...history), facts, at);

describe("TrapOnCheckin", () => {
  it("puts the copy on the hold shelf when the first hold's pickup location is here (alert 01)", () => {
    const d = when([placed("h-1", "P1"), placed("h-2", "P2")]);
    expect(d.events).toEqual([
      {
        type: "HoldTrapped",
        holdId: "h-1",
        titleKey: TITLE,
        patronId: "P1",
        itemBarcode: "I1",
        pickupLocation: "MAIN",
        disposition: "on_shelf",
        location: "MAIN",
        trappedAt: now,
        shelfExpiresAt: "2025-03-08T22:59:59Z",
      },
    ]);
    expect(d.outcome === "accepted" && d.data).toEqual({
      trapped: true,
      newlyTrapped: true,
      holdId: "h-1",
      disposition: "on_shelf",
      alertType: "01",
      destination: "MAIN",
      holdPatronId: "P1",
      holdPatronName: "Ishmael",
    });
  });

  it("sends the copy in transit to the pickup location when it is elsewhere (alert 02, CT = pickup)", () => {
    const d = when([placed("h-1", "P1", { pickupLocation: "EAST" })]);
    expect(d.events[0]).toMatchObject({ type: "HoldTrapped", disposition: "in_transit", pickupLocation: "EAST", location: "MAIN", shelfExpiresAt: null });
    expect(d).toMatchObject({ data: { trapped: true, alertType: "02", destination: "EAST", holdPatronId: "P1" } });
  });

  it("traps nothing when no hold wants the copy", () => {
    expect(when([])).toEqual({ outcome: "accepted", events: [], data: { trapped: false } });
  });

  it("skips expired holds", () => {
    const d = when([placed("h-1", "P1", { expiresAt: "2025-02-28T00:00:00Z" }), placed("h-2", "P2")]);
    expect(d.events[0]).toMatchObject({ holdId: "h-2" });
    expect(when([placed("h-1", "P1", { expiresAt: now })])).toMatchObject({ data: { trapped: false } });
  });

  it("skips suspended holds until their suspension ends", () => {
    const suspend = (until: string | null): HoldEvent => ({ type: "HoldSuspended", holdId: "h-1", titleKey: TITLE, patronId: "P1", until, suspendedAt: now });
    expect(when([placed("h-1", "P1"), suspend(null), placed("h-2", "P2")]).events[0]).toMatchObject({ holdId: "h-2" });
    expect(when([placed("h-1", "P1"), suspend("2025-04-01T00:00:00Z"), placed("h-2", "P2")]).events[0]).toMatchObject({ holdId: "h-2" });
    expect(when([placed("h-1", "P1"), suspend("2025-02-01T00:00:00Z"), placed("h-2", "P2")]).events[0]).toMatchObject({ holdId: "h-1" });
  });

  it("skips a hold for another specific copy of the title", () => {
    const d = when([placed("h-1", "P1", { target: { kind: "item", itemBarcode: "I2" } }), placed("h-2", "P2")]);
    expect(d.events[0]).toMatchObject({ holdId: "h-2" });
  });

  it("serves holds by position: an older title hold precedes a newer hold on this very copy", () => {
    const d = when([placed("h-1", "P1"), placed("h-2", "P2", { target: { kind: "item", itemBarcode: "I1" } })]);
    expect(d.events[0]).toMatchObject({ holdId: "h-1" });
  });

  it("serves holds by position: an older hold on this very copy precedes a newer title hold", () => {
    const d = when([placed("h-1", "P1", { target: { kind: "item", itemBarcode: "I1" } }), placed("h-2", "P2")]);
    expect(d.events[0]).toMatchObject({ holdId: "h-1" });
  });

  it("fills a single-branch hold (type 4) only with a copy of its pickup branch", () => {
    const history = [placed("h-1", "P1", { target: { kind: "branch" }, pickupLocation: "EAST" }), placed("h-2", "P2")];
    expect(when(history, { itemBranch: "MAIN" }).events[0]).toMatchObject({ holdId: "h-2" });
    expect(when(history, { itemBranch: "EAST" }).events[0]).toMatchObject({ holdId: "h-1", disposition: "in_transit" });
    expect(when(history, { itemBranch: null }).events[0]).toMatchObject({ holdId: "h-2" });
  });

  it("does not trap a copy for a hold that already has one", () => {
    const d = when([placed("h-1", "P1"), trapped("h-1", "P1", "I9"), placed("h-2", "P2")]);
    expect(d.events[0]).toMatchObject({ holdId: "h-2", itemBarcode: "I1" });
  });

  it("puts a copy in transit on the shelf when it arrives at its pickup location", () => {
    const history = [placed("h-1", "P1", { pickupLocation: "EAST" }), trapped("h-1", "P1", "I1", { pickupLocation: "EAST", disposition: "in_transit", shelfExpiresAt: null })];
    const d = when(history, { checkinLocation: "EAST" });
    expect(d.events).toEqual([
      { type: "HoldArrived", holdId: "h-1", titleKey: TITLE, patronId: "P1", itemBarcode: "I1", location: "EAST", arrivedAt: now, shelfExpiresAt: facts.shelfExpiresAt },
    ]);
    expect(d).toMatchObject({ data: { trapped: true, newlyTrapped: false, disposition: "on_shelf", alertType: "01" } });
  });

  it("keeps a copy in transit when it is checked in on the way, still routed to its pickup", () => {
    const history = [placed("h-1", "P1", { pickupLocation: "EAST" }), trapped("h-1", "P1", "I1", { pickupLocation: "EAST", disposition: "in_transit", shelfExpiresAt: null })];
    expect(when(history, { checkinLocation: "WEST" })).toMatchObject({ events: [], data: { alertType: "02", destination: "EAST" } });
  });

  it("answers a copy already on its shelf again with alert 01 and records nothing", () => {
    expect(when([placed("h-1", "P1"), trapped("h-1", "P1", "I1")])).toMatchObject({ events: [], data: { alertType: "01", holdId: "h-1" } });
  });

  it("sends a copy that left its hold shelf back in transit", () => {
    const d = when([placed("h-1", "P1"), trapped("h-1", "P1", "I1")], { checkinLocation: "WEST" });
    expect(d.events).toEqual([{ type: "HoldInTransit", holdId: "h-1", titleKey: TITLE, patronId: "P1", itemBarcode: "I1", location: "WEST", destination: "MAIN", at: now }]);
  });

  it("leaves the hold patron's name empty when the app gave none", () => {
    const d = decideTrapOnCheckin(checkin, given(placed("h-1", "P7")), { shelfExpiresAt: null }, now);
    expect(d).toMatchObject({ data: { holdPatronId: "P7", holdPatronName: null } });
  });
});

describe("ApplyCheckinTrap (the trap the loan service chose at checkin)", () => {
  const chosen: ApplyCheckinTrap = { ...checkin, holdId: "h-2", inTransit: false };
  const apply = (history: HoldEvent[], over: Partial<ApplyCheckinTrap> = {}, at = now) =>
    decideApplyCheckinTrap({ ...chosen, ...over }, given(...history), facts, at);

  it("traps the copy for the named hold, as the kiosk routed it, even if another hold is ahead in the queue", () => {
    const d = apply([placed("h-1", "P1"), placed("h-2", "P2")]);
    expect(d.events).toEqual([
      {
        type: "HoldTrapped",
        holdId: "h-2",
        titleKey: TITLE,
        patronId: "P2",
        itemBarcode: "I1",
        pickupLocation: "MAIN",
        disposition: "on_shelf",
        location: "MAIN",
        trappedAt: now,
        shelfExpiresAt: facts.shelfExpiresAt,
      },
    ]);
    expect(d).toMatchObject({ data: { asNamed: true, trap: { trapped: true, newlyTrapped: true, holdId: "h-2", alertType: "01", holdPatronName: "Queequeg" } } });
  });

  it("sends the copy in transit when the checkin said so", () => {
    const d = apply([placed("h-2", "P2", { pickupLocation: "EAST" })], { inTransit: true });
    expect(d.events[0]).toMatchObject({ type: "HoldTrapped", holdId: "h-2", disposition: "in_transit", pickupLocation: "EAST", shelfExpiresAt: null });
    expect(d).toMatchObject({ data: { asNamed: true, trap: { alertType: "02", destination: "EAST" } } });
  });

  it("records nothing when the named hold already has the copy trapped the same way (applied twice)", () => {
    const once = apply([placed("h-2", "P2")]);
    const again = apply([placed("h-2", "P2"), ...once.events]);
    expect(again).toMatchObject({ events: [], data: { asNamed: true, trap: { holdId: "h-2", newlyTrapped: false } } });
  });

  it("puts a copy in transit for the named hold on the shelf when it arrives, and sends one that left the shelf back in transit", () => {
    const inTransit = trapped("h-2", "P2", "I1", { pickupLocation: "EAST", disposition: "in_transit", shelfExpiresAt: null });
    const arrived = apply([placed("h-2", "P2", { pickupLocation: "EAST" }), inTransit], { checkinLocation: "EAST" });
    expect(arrived.events).toEqual([
      { type: "HoldArrived", holdId: "h-2", titleKey: TITLE, patronId: "P2", itemBarcode: "I1", location: "EAST", arrivedAt: now, shelfExpiresAt: facts.shelfExpiresAt },
    ]);
    const left = apply([placed("h-2", "P2"), trapped("h-2", "P2", "I1")], { checkinLocation: "WEST", inTransit: true });
    expect(left.events).toEqual([{ type: "HoldInTransit", holdId: "h-2", titleKey: TITLE, patronId: "P2", itemBarcode: "I1", location: "WEST", destination: "MAIN", at: now }]);
    expect(left).toMatchObject({ data: { asNamed: true } });
  });

  it("gives the copy to the next eligible hold when the named one was cancelled, fulfilled or expired", () => {
    const cancelled: HoldEvent = { type: "HoldCancelled", holdId: "h-2", titleKey: TITLE, patronId: "P2", cancelledAt: now, releasedItem: null };
    const d = apply([placed("h-1", "P1", { expiresAt: "2025-02-01T00:00:00Z" }), placed("h-2", "P2"), cancelled, placed("h-3", "P3", { pickupLocation: "EAST" })]);
    expect(d.events).toMatchObject([{ type: "HoldTrapped", holdId: "h-3", disposition: "in_transit", pickupLocation: "EAST" }]);
    expect(d).toMatchObject({ data: { asNamed: false, trap: { holdId: "h-3" } } });
    expect(apply([placed("h-2", "P2", { expiresAt: "2025-02-01T00:00:00Z" }), placed("h-3", "P3")])).toMatchObject({ data: { asNamed: false, trap: { holdId: "h-3" } } });
  });

  it("does not give the named hold a second copy; with nobody else eligible nothing is recorded", () => {
    expect(apply([placed("h-2", "P2"), trapped("h-2", "P2", "I9")])).toEqual({ outcome: "accepted", events: [], data: { asNamed: false, trap: { trapped: false } } });
  });

  it("leaves a copy trapped for another hold with that hold", () => {
    const d = apply([placed("h-1", "P1"), trapped("h-1", "P1", "I1"), placed("h-2", "P2")]);
    expect(d).toMatchObject({ events: [], data: { asNamed: false, trap: { holdId: "h-1", newlyTrapped: false } } });
  });

  it("takes the checkin's word for a type-4 hold when the copy's home branch is unknown here, not when it is known to differ", () => {
    const history = [placed("h-2", "P2", { target: { kind: "branch" }, pickupLocation: "EAST" })];
    expect(apply(history, { itemBranch: null, inTransit: true })).toMatchObject({ data: { asNamed: true, trap: { holdId: "h-2" } } });
    expect(apply(history, { itemBranch: "WEST", inTransit: true })).toMatchObject({ events: [], data: { asNamed: false } });
  });
});
