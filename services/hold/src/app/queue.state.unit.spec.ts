import { hold as holdpb } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { encodeEvents, patronKey } from "../adapters/events.codec.js";
import type { HoldEvent } from "../domain/index.js";
import { queueFrom } from "../domain/index.js";
import { evolveQueueState, initialQueueState, type QueueState } from "./queue.state.js";

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
