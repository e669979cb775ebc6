import { setTimeout as delay } from "node:timers/promises";
import { common, hold as holdpb } from "@circulate/contracts";
import { accepted } from "@circulate/service/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelHold, changeHold, type Harness, itemRef, patronRef, placeHold, startHarness } from "./hold.harness.js";

/**
 * Peers keep their copy of a hold from `current` on each hold event. After every
 * kind of event, that copy must be what ListHolds and GetQueue say at that moment.
 */
describe("hold events carry the hold as it is after the event (current)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const S = holdpb.HoldStatus;
  const TITLE = "bib-frankenstein";

  /** The last stored event of the queue, with its `current` read back as a Hold. */
  async function last(n = 1) {
    const stored = await h.storedEvents(TITLE);
    return stored.slice(-n).map((e) => ({ type: e.type, current: holdpb.Hold.fromJSON(e.data.current) }));
  }

  /** What ListHolds (closed included) and GetQueue say now about the hold. */
  async function reported(patron: string, holdId: string) {
    const list = await h.rpc.listHolds({ key: { $case: "patron", value: patronRef(patron) }, includeClosed: true });
    const queue = await h.rpc.getQueue({ key: { $case: "titleId", value: TITLE }, itemTitleId: "" });
    return { listed: list.holds.find((x) => x.holdId === holdId), queued: queue.holds.find((x) => x.holdId === holdId) };
  }

  async function expectCurrentReported(type: string, patron: string, status: holdpb.HoldStatus) {
    const [e] = await last();
    expect(e?.type).toBe(type);
    const { listed, queued } = await reported(patron, e!.current.holdId);
    expect(e!.current.status).toBe(status);
    expect(e!.current).toEqual(listed);
    if (status === S.WAITING || status === S.IN_TRANSIT || status === S.AVAILABLE) expect(e!.current).toEqual(queued);
    else expect(queued).toBeUndefined();
    return e!.current;
  }

  /** A loan service checkout, once the hold service has acted on it. */
  async function checkout(patron: string, item: string, offline: boolean) {
    const before = (await h.storedEvents(TITLE)).length;
    await h.publish.checkout(patron, item, offline);
    await h.eventually(
      () => h.storedEvents(TITLE),
      (s) => s.length > before,
    );
  }

  /** A loan service checkin naming the hold it trapped the copy for, once the hold service has applied it. */
  async function checkin(item: string, holdId: string, location: string, inTransit: boolean) {
    await h.publish.checkin(item, { holdId, location, inTransit, destinationLocation: "MAIN" });
    await h.loanEventsApplied();
  }

  it("placed, changed, trapped in transit, shelved, released, trapped on the shelf, fulfilled, cancelled, expired", async () => {
    const ada = accepted(await h.send(placeHold("P0001", { item: itemRef("I0001"), holdType: common.HoldType.ANY_COPY, pickupLocation: "MAIN" })), "placeHold");
    const placed = await expectCurrentReported("HoldPlaced", "P0001", S.WAITING);
    expect(placed).toMatchObject({ holdId: ada.holdId, patronId: "pat-1", titleId: TITLE, queueInstitutionId: "MAIN", title: "Frankenstein", queuePosition: 1, holdType: common.HoldType.ANY_COPY });

    accepted(await h.send(placeHold("P0005", { item: itemRef("I0003"), holdType: common.HoldType.SPECIFIC_COPY, pickupLocation: "MAIN" })), "placeHold");
    expect(await expectCurrentReported("HoldPlaced", "P0005", S.WAITING)).toMatchObject({ queuePosition: 2, item: itemRef("I0003"), itemId: "item-3" });
    accepted(await h.send(changeHold("P0005", { item: itemRef("I0003"), pickupLocation: "EAST", expiresAt: new Date(Date.now() + 86_400_000) })), "changeHold");
    expect(await expectCurrentReported("HoldChanged", "P0005", S.WAITING)).toMatchObject({ pickupLocation: "EAST", queuePosition: 2 });

    await checkin("I0001", ada.holdId, "EAST", true);
    expect(await expectCurrentReported("HoldTrapped", "P0001", S.IN_TRANSIT)).toMatchObject({ trappedItem: itemRef("I0001"), queuePosition: 0 });
    // The copy in transit arrives at its pickup location.
    await checkin("I0001", ada.holdId, "MAIN", false);
    const shelved = await expectCurrentReported("HoldShelved", "P0001", S.AVAILABLE);
    expect(shelved.pickupBy?.getTime()).toBeGreaterThan(Date.now());

    await checkout("P0006", "I0001", true);
    expect(await expectCurrentReported("HoldTrapReleased", "P0001", S.WAITING)).toMatchObject({ trappedItem: undefined, queuePosition: 1 });

    await checkin("I0003", ada.holdId, "MAIN", false);
    const [trapped, onShelf] = await last(2);
    expect([trapped?.type, onShelf?.type]).toEqual(["HoldTrapped", "HoldShelved"]);
    expect(trapped?.current).toMatchObject({ status: S.AVAILABLE, trappedItem: itemRef("I0003"), pickupBy: undefined });
    await expectCurrentReported("HoldShelved", "P0001", S.AVAILABLE);

    await checkout("P0001", "I0003", false);
    await expectCurrentReported("HoldFulfilled", "P0001", S.FULFILLED);

    accepted(await h.send(cancelHold("P0005", { item: itemRef("I0003") })), "cancelHold");
    await expectCurrentReported("HoldCancelled", "P0005", S.CANCELLED);

    accepted(await h.send(placeHold("P0006", { item: itemRef("I0001"), pickupLocation: "EAST", expiresAt: new Date(Date.now() + 300) })), "placeHold");
    await delay(400);
    await h.expireDueHolds();
    expect(await expectCurrentReported("HoldExpired", "P0006", S.EXPIRED)).toMatchObject({ queuePosition: 0, pickupLocation: "EAST" });

    // Published as stored: each event on the hold stream carries it.
    const stored = await h.storedEvents(TITLE);
    const published = await Promise.all(stored.map((e) => h.published(e.eventId)));
    expect(published.map((m) => (m.event.event as { current?: holdpb.Hold }).current?.holdId)).toEqual(stored.map((e) => e.data.holdId));
  });
});
