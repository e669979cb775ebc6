import { common, type DomainEvent, domainEvent, hold as holdpb, toStoredEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { copyRef, patronKey, queueFrom } from "../domain/index.js";
import { decideTrapOnCheckin } from "../trap-on-checkin/trap-on-checkin.decider.js";
import { withFields, withItemIds } from "./event-fields.js";
import { evolveQueueState, initialQueueState, type QueueState, toProtoHold, withCurrent } from "./queue.state.js";

type HoldEvent = DomainEvent<"hold">;

const AT = "2025-03-01T10:00:00.000Z";
const TITLE = "bib-1";
const card = (barcode: string) => ({ institutionId: "MAIN", barcode });
const copy = (barcode: string) => copyRef("MAIN", barcode);
const base = (holdId: string, patron: string) => ({ holdId, patronId: `pat-${patron}`, titleId: TITLE });
const placed = (holdId: string, patron: string, over: Partial<holdpb.HoldPlaced> = {}) =>
  domainEvent("HoldPlaced", { ...base(holdId, patron), patron: card(patron), holdType: common.HoldType.ANY_COPY, pickupLocation: "MAIN", placedAt: new Date(AT), title: "T", ...over });

/** Folds stored JSON as every reader of the queue does (loadQueue, the projection). */
function fold(state: QueueState, stored: { type: string; data: unknown }, occurredAt: Date, metadata?: Record<string, unknown>): QueueState {
  return evolveQueueState(state, { type: stored.type, data: JSON.parse(JSON.stringify(stored.data)), occurredAt, metadata });
}

function storeAndFold(events: readonly HoldEvent[]): QueueState {
  return events.reduce((s, e) => fold(s, toStoredEvent(e), new Date(AT)), initialQueueState("MAIN", TITLE));
}

describe("stored hold events fold back into the domain's queue", () => {
  it("gives the same queue as the domain's own fold, through trap, transit, shelf, release, change and close", () => {
    const events: HoldEvent[] = [
      placed("h1", "P1"),
      placed("h2", "P2", { holdType: common.HoldType.SPECIFIC_COPY, item: copy("I2"), pickupLocation: "EAST", expiresAt: new Date(AT) }),
      domainEvent("HoldTrapped", { ...base("h1", "P1"), item: copy("I1"), location: "MAIN", pickupLocation: "MAIN" }),
      domainEvent("HoldShelved", { ...base("h1", "P1"), item: copy("I1"), pickupLocation: "MAIN", pickupBy: new Date("2025-03-08T10:00:00.000Z") }),
      domainEvent("HoldTrapped", { ...base("h1", "P1"), item: copy("I1"), location: "EAST", inTransit: true, pickupLocation: "MAIN" }),
      domainEvent("HoldShelved", { ...base("h1", "P1"), item: copy("I1"), pickupLocation: "MAIN", pickupBy: new Date("2025-03-09T10:00:00.000Z") }),
      domainEvent("HoldChanged", { ...base("h2", "P2"), pickupLocation: "MAIN" }),
      domainEvent("HoldTrapReleased", { ...base("h1", "P1"), item: copy("I1"), reason: "checked_out_to_other" }),
      domainEvent("HoldTrapped", { ...base("h2", "P2"), item: copy("I2"), location: "EAST", inTransit: true, pickupLocation: "MAIN" }),
    ];
    for (let n = 1; n <= events.length; n++) {
      expect(storeAndFold(events.slice(0, n)).queue).toEqual(queueFrom(events.slice(0, n)));
    }
    const all = [...events, domainEvent("HoldFulfilled", { ...base("h2", "P2"), item: copy("I2") }), domainEvent("HoldCancelled", base("h1", "P1"))];
    const state = storeAndFold(all);
    expect(state.queue).toEqual(queueFrom(all));
    expect([...state.views.values()].map((v) => [v.holdId, v.status])).toEqual([
      ["h1", holdpb.HoldStatus.CANCELLED],
      ["h2", holdpb.HoldStatus.FULFILLED],
    ]);
  });

  it("folds events of older shapes: no card, no placement time, no hold type, a type this build does not know", () => {
    const recordedAt = new Date("2025-02-01T00:00:00.000Z");
    let state = fold(initialQueueState("MAIN", TITLE), { type: "HoldPlaced", data: { holdId: "h0", patronId: "P0", titleId: TITLE, pickupLocation: "MAIN" } }, recordedAt);
    state = fold(state, { type: "HoldSuspendedSomeday", data: { holdId: "h0" } }, recordedAt);
    state = fold(state, toStoredEvent(placed("h1", "P1", { placedAt: new Date("2025-01-01T00:00:00.000Z") })), new Date(AT));
    // Placed when it was recorded: after the hold placed in January.
    expect(state.queue.holds.map((h) => [h.holdId, h.patronKey, h.holdType, h.placedAt])).toEqual([
      ["h1", patronKey(card("P1")), "2", "2025-01-01T00:00:00.000Z"],
      ["h0", patronKey({ institutionId: "", barcode: "P0" }), "2", recordedAt.toISOString()],
    ]);
    expect(state.views.get("h0")).toMatchObject({ patron: { institutionId: "", barcode: "P0" }, placedAt: recordedAt });
  });

  it("publishes an on-shelf trap as HoldTrapped + HoldShelved, and never a PIN or the domain's patron key", () => {
    const queue = queueFrom([placed("h1", "P1")]);
    const d = decideTrapOnCheckin({ institution: "MAIN", titleKey: TITLE, itemBarcode: "I1", itemBranch: null, checkinLocation: "MAIN" }, queue, { shelfExpiresAt: AT }, AT);
    const stored = withFields(d.events, "HoldTrapped", { checkInId: "c1" }).map((e) => toStoredEvent(e));
    expect(stored.map((s) => s.type)).toEqual(["HoldTrapped", "HoldShelved"]);
    expect(stored[0]!.data).toMatchObject({ holdId: "h1", patronId: "pat-P1", checkInId: "c1", item: { institutionId: "MAIN", barcode: "I1" } });
    expect(stored[1]!.data).toMatchObject({ pickupBy: AT, pickupLocation: "MAIN" });
    expect(JSON.stringify(stored)).not.toMatch(/pin"|MAIN\/P1/i);
  });
});

describe("every stored hold event carries its hold as it is after the event (current)", () => {
  const at = (minute: number) => new Date(Date.parse(AT) + minute * 60_000);
  /** One decision's events each, appended at minute = its index. */
  const decisions: HoldEvent[][] = [
    [placed("h1", "P1")],
    [placed("h2", "P2", { holdType: common.HoldType.SPECIFIC_COPY, item: copy("I2"), pickupLocation: "EAST", expiresAt: new Date("2025-04-01T00:00:00.000Z"), placedAt: at(1) })],
    [domainEvent("HoldChanged", { ...base("h2", "P2"), pickupLocation: "MAIN", expiresAt: new Date("2025-05-01T00:00:00.000Z") })],
    [domainEvent("HoldTrapped", { ...base("h1", "P1"), item: copy("I1"), location: "EAST", inTransit: true, pickupLocation: "MAIN" })],
    [domainEvent("HoldShelved", { ...base("h1", "P1"), item: copy("I1"), pickupLocation: "MAIN", pickupBy: new Date("2025-03-08T10:00:00.000Z") })],
    [domainEvent("HoldTrapReleased", { ...base("h1", "P1"), item: copy("I1"), reason: "checked_out_to_other" })],
    [
      domainEvent("HoldTrapped", { ...base("h1", "P1"), item: copy("I3"), location: "MAIN", pickupLocation: "MAIN" }),
      domainEvent("HoldShelved", { ...base("h1", "P1"), item: copy("I3"), pickupLocation: "MAIN", pickupBy: new Date("2025-03-09T10:00:00.000Z") }),
    ],
    [domainEvent("HoldFulfilled", { ...base("h1", "P1"), item: copy("I3") })],
    [placed("h3", "P3", { pickupLocation: "EAST", placedAt: at(8) })],
    [domainEvent("HoldCancelled", base("h3", "P3"))],
    [domainEvent("HoldExpired", base("h2", "P2"))],
  ];

  /** What the runner appends: the copies' ids added, then `current` against the queue as it stood. */
  function append(): { type: string; data: Record<string, unknown>; occurredAt: Date }[] {
    let state = initialQueueState("MAIN", TITLE);
    const out: { type: string; data: Record<string, unknown>; occurredAt: Date }[] = [];
    decisions.forEach((events, i) => {
      const ids = withItemIds(events, new Map([["I2", "item-2"], ["I3", "item-3"]]));
      for (const e of withCurrent(state, ids, at(i))) {
        const stored = toStoredEvent(e);
        const recorded = { type: stored.type, data: JSON.parse(JSON.stringify(stored.data)) as Record<string, unknown>, occurredAt: at(i) };
        out.push(recorded);
        state = evolveQueueState(state, recorded);
      }
    });
    return out;
  }

  it("for each event type, current is the hold as a reader folding the stored queue shows it (ListHolds, GetQueue)", () => {
    const stored = append();
    expect(new Set(stored.map((e) => e.type))).toEqual(
      new Set(["HoldPlaced", "HoldChanged", "HoldTrapped", "HoldShelved", "HoldTrapReleased", "HoldFulfilled", "HoldCancelled", "HoldExpired"]),
    );
    let read = initialQueueState("MAIN", TITLE);
    for (const e of stored) {
      // A reader folds what was stored, the way loadQueue does for ListHolds and GetQueue.
      read = evolveQueueState(read, e);
      const holdId = e.data.holdId as string;
      const shown = holdpb.Hold.toJSON(toProtoHold(read, read.views.get(holdId)!));
      expect(e.data.current, `${e.type} ${holdId}`).toEqual(shown);
    }
  });

  it("says status, position, patron, trapped copy, pickup, expiry, hold type, item and title id", () => {
    const current = append().map((e) => [e.type, holdpb.Hold.fromJSON(e.data.current)] as const);
    const of = (n: number) => current[n]![1];
    const S = holdpb.HoldStatus;
    expect(current.map(([t, h]) => [t, h.holdId, h.status, h.queuePosition])).toEqual([
      ["HoldPlaced", "h1", S.WAITING, 1],
      ["HoldPlaced", "h2", S.WAITING, 2],
      ["HoldChanged", "h2", S.WAITING, 2],
      ["HoldTrapped", "h1", S.IN_TRANSIT, 0],
      ["HoldShelved", "h1", S.AVAILABLE, 0],
      ["HoldTrapReleased", "h1", S.WAITING, 1],
      ["HoldTrapped", "h1", S.AVAILABLE, 0],
      ["HoldShelved", "h1", S.AVAILABLE, 0],
      ["HoldFulfilled", "h1", S.FULFILLED, 0],
      ["HoldPlaced", "h3", S.WAITING, 2],
      ["HoldCancelled", "h3", S.CANCELLED, 0],
      ["HoldExpired", "h2", S.EXPIRED, 0],
    ]);
    expect(of(1)).toMatchObject({
      patronId: "pat-P2",
      patron: { institutionId: "MAIN", barcode: "P2" },
      holdType: common.HoldType.SPECIFIC_COPY,
      item: { institutionId: "MAIN", barcode: "I2" },
      itemId: "item-2",
      titleId: TITLE,
      queueInstitutionId: "MAIN",
      title: "T",
      pickupLocation: "EAST",
      placedAt: at(1),
      expiresAt: new Date("2025-04-01T00:00:00.000Z"),
    });
    expect(of(2)).toMatchObject({ pickupLocation: "MAIN", expiresAt: new Date("2025-05-01T00:00:00.000Z") });
    expect(of(3)).toMatchObject({ trappedItem: { institutionId: "MAIN", barcode: "I1" }, pickupBy: undefined, availableAt: undefined });
    expect(of(4)).toMatchObject({ trappedItem: { barcode: "I1" }, availableAt: at(4), pickupBy: new Date("2025-03-08T10:00:00.000Z") });
    expect(of(5).trappedItem).toBeUndefined();
    expect(of(7)).toMatchObject({ trappedItem: { barcode: "I3" }, availableAt: at(6), pickupBy: new Date("2025-03-09T10:00:00.000Z") });
  });
});
