import { common, hold as holdpb } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { encodeEvents, patronKey } from "../adapters/events.codec.js";
import type { HoldEvent } from "../domain/index.js";
import { queueFrom } from "../domain/index.js";
import { evolveQueueState, initialQueueState, type QueueState, toProtoHold, withCurrent } from "./queue.state.js";

const AT = "2025-03-01T10:00:00.000Z";
const TITLE = "bib-1";
const P1 = patronKey({ institutionId: "MAIN", barcode: "P1" });
const P2 = patronKey({ institutionId: "MAIN", barcode: "P2" });
const base = (holdId: string, patronId: string) => ({ holdId, titleKey: TITLE, patronId });

/** Encodes domain events the way handlers do and folds what would be stored. */
function storeAndFold(events: readonly HoldEvent[]): QueueState {
  let state = initialQueueState("MAIN", TITLE);
  for (const e of events) {
    const placedBy = e.patronId === P1 ? "P1" : "P2";
    const stored = encodeEvents([e], {
      institution: "MAIN",
      titleId: TITLE,
      party: (id) => state.views.get(id),
      placed: { patronId: `pat-${placedBy}`, patron: { institutionId: "MAIN", barcode: placedBy }, itemId: "", title: "T", terminalAccount: "", externalId: "" },
      occurredAt: new Date(AT),
    });
    state = stored.reduce((s, x) => evolveQueueState(s, { type: x.type, data: JSON.parse(JSON.stringify(x.data)), occurredAt: new Date(AT) }), state);
  }
  return state;
}

describe("stored hold events fold back into the domain's queue", () => {
  it("gives the same queue as the domain's own events, through trap, transit, shelf, release, change and close", () => {
    const events: HoldEvent[] = [
      { type: "HoldPlaced", ...base("h1", P1), holdType: "2", target: { kind: "title" }, pickupLocation: "MAIN", expiresAt: null, placedAt: AT },
      { type: "HoldPlaced", ...base("h2", P2), holdType: "3", target: { kind: "item", itemBarcode: "I2" }, pickupLocation: "EAST", expiresAt: AT, placedAt: AT },
      { type: "HoldTrapped", ...base("h1", P1), itemBarcode: "I1", pickupLocation: "MAIN", disposition: "on_shelf", location: "MAIN", trappedAt: AT, shelfExpiresAt: "2025-03-08T10:00:00.000Z" },
      { type: "HoldInTransit", ...base("h1", P1), itemBarcode: "I1", location: "EAST", destination: "MAIN", at: AT },
      { type: "HoldArrived", ...base("h1", P1), itemBarcode: "I1", location: "MAIN", arrivedAt: AT, shelfExpiresAt: "2025-03-09T10:00:00.000Z" },
      { type: "HoldChanged", ...base("h2", P2), pickupLocation: "MAIN", expiresAt: null, changedAt: AT },
      { type: "HoldTrapReleased", ...base("h1", P1), itemBarcode: "I1", reason: "checked_out_to_other", releasedAt: AT },
      { type: "HoldTrapped", ...base("h2", P2), itemBarcode: "I2", pickupLocation: "MAIN", disposition: "in_transit", location: "EAST", trappedAt: AT, shelfExpiresAt: null },
    ];
    for (let n = 1; n <= events.length; n++) {
      expect(storeAndFold(events.slice(0, n)).queue).toEqual(queueFrom(events.slice(0, n)));
    }
    const closing: HoldEvent[] = [
      { type: "HoldFulfilled", ...base("h2", P2), itemBarcode: "I2", fulfilledAt: AT, releasedItem: null },
      { type: "HoldCancelled", ...base("h1", P1), cancelledAt: AT, releasedItem: null },
    ];
    const all = [...events, ...closing];
    const state = storeAndFold(all);
    expect(state.queue).toEqual(queueFrom(all));
    expect([...state.views.values()].map((v) => [v.holdId, v.status])).toEqual([
      ["h1", holdpb.HoldStatus.CANCELLED],
      ["h2", holdpb.HoldStatus.FULFILLED],
    ]);
  });

  it("publishes an on-shelf trap as HoldTrapped + HoldShelved, and never a PIN or the domain's patron key", () => {
    const stored = encodeEvents(
      [{ type: "HoldTrapped", ...base("h1", P1), itemBarcode: "I1", pickupLocation: "MAIN", disposition: "on_shelf", location: "MAIN", trappedAt: AT, shelfExpiresAt: AT }],
      { institution: "MAIN", titleId: TITLE, party: () => ({ patronId: "pat-1", patron: { institutionId: "MAIN", barcode: "P1" } }), checkInId: "c1" },
    );
    expect(stored.map((s) => s.type)).toEqual(["HoldTrapped", "HoldShelved"]);
    expect(stored[0]!.data).toMatchObject({ holdId: "h1", patronId: "pat-1", checkInId: "c1", item: { institutionId: "MAIN", barcode: "I1" } });
    expect(stored[1]!.data).toMatchObject({ pickupBy: AT, pickupLocation: "MAIN" });
    expect(JSON.stringify(stored)).not.toMatch(/pin"|MAIN\/P1/i);
  });
});

describe("every stored hold event carries its hold as it is after the event (current)", () => {
  const at = (minute: number) => new Date(Date.parse(AT) + minute * 60_000);
  const P3 = patronKey({ institutionId: "MAIN", barcode: "P3" });
  const events: HoldEvent[] = [
    { type: "HoldPlaced", ...base("h1", P1), holdType: "2", target: { kind: "title" }, pickupLocation: "MAIN", expiresAt: null, placedAt: AT },
    { type: "HoldPlaced", ...base("h2", P2), holdType: "3", target: { kind: "item", itemBarcode: "I2" }, pickupLocation: "EAST", expiresAt: "2025-04-01T00:00:00.000Z", placedAt: at(1).toISOString() },
    { type: "HoldChanged", ...base("h2", P2), pickupLocation: "MAIN", expiresAt: "2025-05-01T00:00:00.000Z", changedAt: at(2).toISOString() },
    { type: "HoldTrapped", ...base("h1", P1), itemBarcode: "I1", pickupLocation: "MAIN", disposition: "in_transit", location: "EAST", trappedAt: at(3).toISOString(), shelfExpiresAt: null },
    { type: "HoldArrived", ...base("h1", P1), itemBarcode: "I1", location: "MAIN", arrivedAt: at(4).toISOString(), shelfExpiresAt: "2025-03-08T10:00:00.000Z" },
    { type: "HoldTrapReleased", ...base("h1", P1), itemBarcode: "I1", reason: "checked_out_to_other", releasedAt: at(5).toISOString() },
    { type: "HoldTrapped", ...base("h1", P1), itemBarcode: "I3", pickupLocation: "MAIN", disposition: "on_shelf", location: "MAIN", trappedAt: at(6).toISOString(), shelfExpiresAt: "2025-03-09T10:00:00.000Z" },
    { type: "HoldFulfilled", ...base("h1", P1), itemBarcode: "I3", fulfilledAt: at(7).toISOString(), releasedItem: null },
    { type: "HoldPlaced", ...base("h3", P3), holdType: "2", target: { kind: "title" }, pickupLocation: "EAST", expiresAt: null, placedAt: at(8).toISOString() },
    { type: "HoldCancelled", ...base("h3", P3), cancelledAt: at(9).toISOString(), releasedItem: null },
    { type: "HoldExpired", ...base("h2", P2), reason: "not_filled", expiredAt: at(10).toISOString(), releasedItem: null },
  ];

  /** What the handlers append: encoded, then `current` added against the queue as it stood. */
  function append(): { type: string; data: Record<string, unknown>; occurredAt: Date }[] {
    let state = initialQueueState("MAIN", TITLE);
    const out: { type: string; data: Record<string, unknown>; occurredAt: Date }[] = [];
    events.forEach((e, i) => {
      const barcode = e.patronId.split("/")[1]!;
      const stored = encodeEvents([e], {
        institution: "MAIN",
        titleId: TITLE,
        party: (id) => state.views.get(id),
        itemIds: new Map([["I2", "item-2"], ["I3", "item-3"]]),
        placed: { patronId: `pat-${barcode}`, patron: { institutionId: "MAIN", barcode }, itemId: "item-2", title: "T", terminalAccount: "", externalId: "" },
        occurredAt: at(i),
      });
      for (const x of withCurrent(state, stored, at(99))) {
        const recorded = { type: x.type, data: JSON.parse(JSON.stringify(x.data)) as Record<string, unknown>, occurredAt: x.occurredAt ?? at(99) };
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
