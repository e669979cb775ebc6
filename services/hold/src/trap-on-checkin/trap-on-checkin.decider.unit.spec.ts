import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { at, given, INSTITUTION, idOf, key, placed, TITLE, trapped } from "../domain/hold.fixtures.js";
import type { HoldQueueEvent } from "../domain/index.js";
import { type ApplyCheckinTrap, decideApplyCheckinTrap, decideTrapOnCheckin, type TrapEvent, type TrapFacts, type TrapOnCheckin } from "./trap-on-checkin.decider.js";

const now = "2025-03-01T12:00:00Z";
const checkin: TrapOnCheckin = { institution: INSTITUTION, titleKey: TITLE, itemBarcode: "I1", itemBranch: "MAIN", checkinLocation: "MAIN" };
const facts: TrapFacts = { shelfExpiresAt: "2025-03-08T22:59:59Z", patronNames: { [key("P1")]: "Ishmael", [key("P2")]: "Queequeg" } };
const when = (history: HoldQueueEvent[], over: Partial<TrapOnCheckin> = {}, time = now) => decideTrapOnCheckin({ ...checkin, ...over }, given(...history), facts, time);
const first = (d: { events: readonly TrapEvent[] }) => d.events[0]?.data;
const I1 = { institutionId: INSTITUTION, barcode: "I1" };

/** What a trap records for `holdId`'s patron, as `trapped` and `shelved` name the copy I1. */
const trapOf = (holdId: string, patron: string, location: string, inTransit: boolean, pickupLocation = "MAIN") =>
  domainEvent("HoldTrapped", { holdId, patronId: idOf(patron), item: I1, location, inTransit, titleId: TITLE, pickupLocation });
const shelvedOf = (holdId: string, patron: string, pickupLocation: string) =>
  domainEvent("HoldShelved", { holdId, patronId: idOf(patron), pickupLocation, pickupBy: at("2025-03-08T22:59:59Z"), titleId: TITLE, item: I1 });

describe("TrapOnCheckin", () => {
  it("puts the copy on the hold shelf when the first hold's pickup location is here (alert 01)", () => {
    const d = when([placed("h-1", "P1"), placed("h-2", "P2")]);
    expect(d.events).toEqual([trapOf("h-1", "P1", "MAIN", false), shelvedOf("h-1", "P1", "MAIN")]);
    expect(d.outcome === "accepted" && d.data).toEqual({
      trapped: true,
      newlyTrapped: true,
      holdId: "h-1",
      disposition: "on_shelf",
      alertType: "01",
      destination: "MAIN",
      holdPatronId: key("P1"),
      holdPatronName: "Ishmael",
    });
    const after = given(placed("h-1", "P1"), placed("h-2", "P2"), ...d.events);
    expect(after.holds[0]).toMatchObject({ status: "on_shelf", trap: { itemBarcode: "I1", shelfExpiresAt: "2025-03-08T22:59:59.000Z" } });
  });

  it("sends the copy in transit to the pickup location when it is elsewhere (alert 02, CT = pickup)", () => {
    const d = when([placed("h-1", "P1", { pickupLocation: "EAST" })]);
    expect(d.events).toEqual([trapOf("h-1", "P1", "MAIN", true, "EAST")]);
    expect(d).toMatchObject({ data: { trapped: true, alertType: "02", destination: "EAST", holdPatronId: key("P1") } });
    expect(given(placed("h-1", "P1", { pickupLocation: "EAST" }), ...d.events).holds[0]).toMatchObject({
      status: "in_transit",
      trap: { shelfExpiresAt: null },
    });
  });

  it("traps nothing when no hold wants the copy", () => {
    expect(when([])).toEqual({ outcome: "accepted", events: [], data: { trapped: false } });
  });

  it("skips expired holds", () => {
    const d = when([placed("h-1", "P1", { expiresAt: "2025-02-28T00:00:00Z" }), placed("h-2", "P2")]);
    expect(first(d)).toMatchObject({ holdId: "h-2" });
    expect(when([placed("h-1", "P1", { expiresAt: now })])).toMatchObject({ data: { trapped: false } });
  });

  it("skips suspended holds until their suspension ends", () => {
    const suspend = (until: string | null): HoldQueueEvent => ({ type: "HoldSuspended", data: { holdId: "h-1", until: until === null ? undefined : at(until) } });
    expect(first(when([placed("h-1", "P1"), suspend(null), placed("h-2", "P2")]))).toMatchObject({ holdId: "h-2" });
    expect(first(when([placed("h-1", "P1"), suspend("2025-04-01T00:00:00Z"), placed("h-2", "P2")]))).toMatchObject({ holdId: "h-2" });
    expect(first(when([placed("h-1", "P1"), suspend("2025-02-01T00:00:00Z"), placed("h-2", "P2")]))).toMatchObject({ holdId: "h-1" });
  });

  it("skips a hold for another specific copy of the title", () => {
    const d = when([placed("h-1", "P1", { target: { kind: "item", itemBarcode: "I2" } }), placed("h-2", "P2")]);
    expect(first(d)).toMatchObject({ holdId: "h-2" });
  });

  it("serves holds by position: an older title hold precedes a newer hold on this very copy", () => {
    const d = when([placed("h-1", "P1"), placed("h-2", "P2", { target: { kind: "item", itemBarcode: "I1" } })]);
    expect(first(d)).toMatchObject({ holdId: "h-1" });
  });

  it("serves holds by position: an older hold on this very copy precedes a newer title hold", () => {
    const d = when([placed("h-1", "P1", { target: { kind: "item", itemBarcode: "I1" } }), placed("h-2", "P2")]);
    expect(first(d)).toMatchObject({ holdId: "h-1" });
  });

  it("fills a single-branch hold (type 4) only with a copy of its pickup branch", () => {
    const history = [placed("h-1", "P1", { target: { kind: "branch" }, pickupLocation: "EAST" }), placed("h-2", "P2")];
    expect(first(when(history, { itemBranch: "MAIN" }))).toMatchObject({ holdId: "h-2" });
    expect(first(when(history, { itemBranch: "EAST" }))).toMatchObject({ holdId: "h-1", inTransit: true });
    expect(first(when(history, { itemBranch: null }))).toMatchObject({ holdId: "h-2" });
  });

  it("does not trap a copy for a hold that already has one", () => {
    const d = when([placed("h-1", "P1"), ...trapped("h-1", "P1", "I9"), placed("h-2", "P2")]);
    expect(first(d)).toMatchObject({ holdId: "h-2", item: I1 });
  });

  it("puts a copy in transit on the shelf when it arrives at its pickup location", () => {
    const history = [placed("h-1", "P1", { pickupLocation: "EAST" }), ...trapped("h-1", "P1", "I1", { pickupLocation: "EAST", inTransit: true })];
    const d = when(history, { checkinLocation: "EAST" });
    expect(d.events).toEqual([shelvedOf("h-1", "P1", "EAST")]);
    expect(d).toMatchObject({ data: { trapped: true, newlyTrapped: false, disposition: "on_shelf", alertType: "01" } });
    expect(given(...history, ...d.events).holds[0]).toMatchObject({ status: "on_shelf", trap: { itemBarcode: "I1", shelfExpiresAt: "2025-03-08T22:59:59.000Z" } });
  });

  it("keeps a copy in transit when it is checked in on the way, still routed to its pickup", () => {
    const history = [placed("h-1", "P1", { pickupLocation: "EAST" }), ...trapped("h-1", "P1", "I1", { pickupLocation: "EAST", inTransit: true })];
    expect(when(history, { checkinLocation: "WEST" })).toMatchObject({ events: [], data: { alertType: "02", destination: "EAST" } });
  });

  it("answers a copy already on its shelf again with alert 01 and records nothing", () => {
    expect(when([placed("h-1", "P1"), ...trapped("h-1", "P1", "I1")])).toMatchObject({ events: [], data: { alertType: "01", holdId: "h-1" } });
  });

  it("sends a copy that left its hold shelf back in transit", () => {
    const history = [placed("h-1", "P1"), ...trapped("h-1", "P1", "I1")];
    const d = when(history, { checkinLocation: "WEST" });
    expect(d.events).toEqual([trapOf("h-1", "P1", "WEST", true)]);
    expect(given(...history, ...d.events).holds[0]).toMatchObject({ status: "in_transit", trap: { itemBarcode: "I1", shelfExpiresAt: null } });
  });

  it("leaves the hold patron's name empty when the app gave none", () => {
    const d = decideTrapOnCheckin(checkin, given(placed("h-1", "P7")), { shelfExpiresAt: null }, now);
    expect(d).toMatchObject({ data: { holdPatronId: key("P7"), holdPatronName: null } });
  });
});

describe("ApplyCheckinTrap (the trap the loan service chose at checkin)", () => {
  const chosen: ApplyCheckinTrap = { ...checkin, holdId: "h-2", inTransit: false };
  const apply = (history: HoldQueueEvent[], over: Partial<ApplyCheckinTrap> = {}, time = now) =>
    decideApplyCheckinTrap({ ...chosen, ...over }, given(...history), facts, time);

  it("traps the copy for the named hold, as the kiosk routed it, even if another hold is ahead in the queue", () => {
    const d = apply([placed("h-1", "P1"), placed("h-2", "P2")]);
    expect(d.events).toEqual([trapOf("h-2", "P2", "MAIN", false), shelvedOf("h-2", "P2", "MAIN")]);
    expect(d).toMatchObject({ data: { asNamed: true, trap: { trapped: true, newlyTrapped: true, holdId: "h-2", alertType: "01", holdPatronName: "Queequeg" } } });
  });

  it("sends the copy in transit when the checkin said so", () => {
    const d = apply([placed("h-2", "P2", { pickupLocation: "EAST" })], { inTransit: true });
    expect(d.events).toEqual([trapOf("h-2", "P2", "MAIN", true, "EAST")]);
    expect(d).toMatchObject({ data: { asNamed: true, trap: { alertType: "02", destination: "EAST" } } });
  });

  it("records nothing when the named hold already has the copy trapped the same way (applied twice)", () => {
    const once = apply([placed("h-2", "P2")]);
    const again = apply([placed("h-2", "P2"), ...once.events]);
    expect(again).toMatchObject({ events: [], data: { asNamed: true, trap: { holdId: "h-2", newlyTrapped: false } } });
  });

  it("puts a copy in transit for the named hold on the shelf when it arrives, and sends one that left the shelf back in transit", () => {
    const inTransit = trapped("h-2", "P2", "I1", { pickupLocation: "EAST", inTransit: true });
    const arrived = apply([placed("h-2", "P2", { pickupLocation: "EAST" }), ...inTransit], { checkinLocation: "EAST" });
    expect(arrived.events).toEqual([shelvedOf("h-2", "P2", "EAST")]);
    const left = apply([placed("h-2", "P2"), ...trapped("h-2", "P2", "I1")], { checkinLocation: "WEST", inTransit: true });
    expect(left.events).toEqual([trapOf("h-2", "P2", "WEST", true)]);
    expect(left).toMatchObject({ data: { asNamed: true } });
  });

  it("gives the copy to the next eligible hold when the named one was cancelled, fulfilled or expired", () => {
    const cancelled = domainEvent("HoldCancelled", { holdId: "h-2", patronId: idOf("P2"), titleId: TITLE });
    const d = apply([placed("h-1", "P1", { expiresAt: "2025-02-01T00:00:00Z" }), placed("h-2", "P2"), cancelled, placed("h-3", "P3", { pickupLocation: "EAST" })]);
    expect(d.events).toEqual([trapOf("h-3", "P3", "MAIN", true, "EAST")]);
    expect(d).toMatchObject({ data: { asNamed: false, trap: { holdId: "h-3" } } });
    expect(apply([placed("h-2", "P2", { expiresAt: "2025-02-01T00:00:00Z" }), placed("h-3", "P3")])).toMatchObject({ data: { asNamed: false, trap: { holdId: "h-3" } } });
  });

  it("does not give the named hold a second copy; with nobody else eligible nothing is recorded", () => {
    expect(apply([placed("h-2", "P2"), ...trapped("h-2", "P2", "I9")])).toEqual({ outcome: "accepted", events: [], data: { asNamed: false, trap: { trapped: false } } });
  });

  it("leaves a copy trapped for another hold with that hold", () => {
    const d = apply([placed("h-1", "P1"), ...trapped("h-1", "P1", "I1"), placed("h-2", "P2")]);
    expect(d).toMatchObject({ events: [], data: { asNamed: false, trap: { holdId: "h-1", newlyTrapped: false } } });
  });

  it("takes the checkin's word for a type-4 hold when the copy's home branch is unknown here, not when it is known to differ", () => {
    const history = [placed("h-2", "P2", { target: { kind: "branch" }, pickupLocation: "EAST" })];
    expect(apply(history, { itemBranch: null, inTransit: true })).toMatchObject({ data: { asNamed: true, trap: { holdId: "h-2" } } });
    expect(apply(history, { itemBranch: "WEST", inTransit: true })).toMatchObject({ events: [], data: { asNamed: false } });
  });
});
