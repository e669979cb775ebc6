import { commands, common, hold, item as itemPb, loan } from "@circulate/contracts";
import { accepted, publishedEvent, refused } from "@circulate/service/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { book, ItemHarness, loanAfter } from "./support.js";

const h = new ItemHarness();
const DUE = new Date("2031-03-14T23:59:59.000Z");
const PICKUP_BY = new Date("2031-03-20T23:59:59.000Z");

const accepted17 = (o: commands.Outcome) => accepted(o, "getItemInformation");
const update19 = (barcode: string, itemProperties: string) =>
  ({ $case: "updateItemStatus", value: { item: { institutionId: "MAIN", barcode }, itemProperties } }) as const;

describe("item service: 17 Item Information and 19 Item Status Update over NATS", () => {
  beforeAll(async () => {
    await h.start();
    await h.upsert([
      book("I0001", { title: "Notes on the Analytical Engine" }),
      book("I0005", { state: itemPb.ItemState.ON_LOAN }),
      book("I0006", { state: itemPb.ItemState.ON_HOLD_SHELF, currentLocation: "HOLDS" }),
      book("I0008", { state: itemPb.ItemState.MISSING }),
      book("I0009", { mediaType: common.MediaType.VIDEO_TAPE, itemType: "DVD" }),
      book("I0010"),
      book("I0020"),
    ]);
    // What the loan and hold services say of I0005 and I0006, as their relays publish it.
    const I0005 = { institutionId: "MAIN", barcode: "I0005" };
    const I0006 = { institutionId: "MAIN", barcode: "I0006" };
    const imported = loan.LoanImported.fromPartial({ loanId: "L5", itemId: (await h.row("I0005"))!.item_id, item: I0005, patronId: "P1", dueAt: DUE });
    await h.publishEvent("loan", "LoanImported", { ...imported, current: loanAfter(imported) });
    // Holds on a MAIN title placed at an EAST kiosk: the queue is the one each hold names.
    const inQueue = { queueInstitutionId: "MAIN", titleId: "T-I0006" };
    const placedAtEast = { institutionId: "EAST" };
    await h.publishEvent(
      "hold",
      "HoldPlaced",
      hold.HoldPlaced.fromPartial({ holdId: "H6", titleId: "T-I0006", current: { ...inQueue, holdId: "H6", status: hold.HoldStatus.WAITING, queuePosition: 1 } }),
      placedAtEast,
    );
    await h.publishEvent(
      "hold",
      "HoldPlaced",
      hold.HoldPlaced.fromPartial({ holdId: "H7", titleId: "T-I0006", current: { ...inQueue, holdId: "H7", status: hold.HoldStatus.WAITING, queuePosition: 2 } }),
      placedAtEast,
    );
    await h.publishEvent(
      "hold",
      "HoldShelved",
      hold.HoldShelved.fromPartial({
        holdId: "H6",
        titleId: "T-I0006",
        item: I0006,
        pickupLocation: "HOLDS",
        pickupBy: PICKUP_BY,
        current: { ...inQueue, holdId: "H6", status: hold.HoldStatus.AVAILABLE, trappedItem: I0006, pickupLocation: "HOLDS", pickupBy: PICKUP_BY },
      }),
    );
  });
  afterAll(() => h.stop());

  it("17 for an available item: 03, title, owner, media type, permanent and current location", async () => {
    const info = accepted17(await h.getItemInformation("I0001"));
    expect(info.circulationStatus).toBe(common.CirculationStatus.AVAILABLE);
    expect(info.securityMarker).toBe(common.SecurityMarker.TATTLE_TAPE);
    expect(info.item).toMatchObject({
      item: { institutionId: "MAIN", barcode: "I0001" },
      title: "Notes on the Analytical Engine",
      owner: "MAIN",
      mediaType: common.MediaType.BOOK,
      permanentLocation: "STACKS",
      currentLocation: "STACKS",
      magneticMedia: false,
    });
    expect(info.item?.itemId).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.dueAt).toBeUndefined();
    expect(info.holdQueueLength).toBe(0);
  });

  it("17 right after a loan event shows it: the loan facts are brought up to date before the answer", async () => {
    const itemId = (await h.row("I0009"))!.item_id;
    const item = { institutionId: "MAIN", barcode: "I0009" };
    const checkout = loan.ItemCheckedOut.fromPartial({ loanId: "L9", itemId, item, patronId: "P1", dueAt: DUE });
    await h.publishEvent("loan", "ItemCheckedOut", { ...checkout, current: loanAfter(checkout) });
    const lent = accepted17(await h.getItemInformation("I0009"));
    expect(lent).toMatchObject({ circulationStatus: common.CirculationStatus.CHARGED, dueAt: DUE });

    await h.publishEvent("loan", "ItemCheckedIn", loan.ItemCheckedIn.fromPartial({ loanId: "L9", itemId, item, location: "STACKS", institutionId: "MAIN" }));
    const back = accepted17(await h.getItemInformation("I0009"));
    expect(back.circulationStatus).toBe(common.CirculationStatus.AVAILABLE);
    expect(back.dueAt).toBeUndefined();
  });

  it("17 for a missing item: 13", async () => {
    expect(accepted17(await h.getItemInformation("I0008")).circulationStatus).toBe(common.CirculationStatus.MISSING);
  });

  it("17 for an item on loan: 04 with the due date of the loan service's events", async () => {
    const info = accepted17(await h.getItemInformation("I0005"));
    expect(info.circulationStatus).toBe(common.CirculationStatus.CHARGED);
    expect(info.dueAt).toEqual(DUE);
  });

  it("17 for an item on the hold shelf: 08 with the pickup date and queue length of the hold service's events", async () => {
    const info = accepted17(await h.getItemInformation("I0006"));
    expect(info.circulationStatus).toBe(common.CirculationStatus.WAITING_ON_HOLD_SHELF);
    expect(info.holdPickupBy).toEqual(PICKUP_BY);
    expect(info.holdQueueLength).toBe(2);
    expect(info.item?.currentLocation).toBe("HOLDS");
  });

  it("17 for an unknown item: refused ITEM_NOT_FOUND, echoing the barcode with an empty title", async () => {
    const refusal = refused(await h.getItemInformation("NOPE"));
    expect(refusal.reason).toBe(commands.RefusalReason.ITEM_NOT_FOUND);
    expect(refusal.item).toMatchObject({ item: { institutionId: "MAIN", barcode: "NOPE" }, title: "" });
  });

  it("17 when the loan facts cannot be brought up to date in time: refused BACKEND_UNAVAILABLE, still naming the item", async () => {
    const itemId = (await h.row("I0010"))!.item_id;
    const item = { institutionId: "MAIN", barcode: "I0010" };
    // The consumer waits on this lock, so the loan event stays unapplied past the 17's deadline.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = h.service.db.transaction().execute(async (trx) => {
      await sql`lock table item_loans in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    try {
      await lockTaken;
      const checkout = loan.ItemCheckedOut.fromPartial({ loanId: "L10", itemId, item, patronId: "P1", dueAt: DUE });
      await h.publishEvent("loan", "ItemCheckedOut", { ...checkout, current: loanAfter(checkout) });
      const refusal = refused(await h.gateway.send({ $case: "getItemInformation", value: { item } }, { deadline: new Date(Date.now() + 700) }));
      expect(refusal.reason).toBe(commands.RefusalReason.BACKEND_UNAVAILABLE);
      expect(refusal.item?.title).toBe("Title of I0010");
    } finally {
      release();
      await holding;
    }
    expect(accepted17(await h.getItemInformation("I0010")).circulationStatus).toBe(common.CirculationStatus.CHARGED);
  });

  it("19 stores the item properties: event stored, projection updated, reply delivered, event on JetStream, 17 shows them", async () => {
    const outcome = await h.gateway.send(update19("I0001", "bin 4; sorter lane 2"));
    expect(accepted(outcome, "updateItemStatus").item).toMatchObject({ properties: "bin 4; sorter lane 2", title: "Notes on the Analytical Engine" });

    const stored = await h.storedEvents("I0001");
    expect(stored.at(-1)).toMatchObject({
      type: "ItemStatusUpdated",
      data: { properties: "bin 4; sorter lane 2", terminalAccount: "kiosk1" },
      metadata: { institution: "MAIN", correlationId: outcome.correlationId },
    });
    expect((await h.row("I0001"))?.properties).toBe("bin 4; sorter lane 2");

    const published = await publishedEvent(await h.jsm(), h.eventStream("item"), stored.at(-1)!.eventId);
    expect(published.subject).toBe(`${h.nats.subjectPrefix}.evt.item.ItemStatusUpdated`);
    expect(published.envelope).toMatchObject({ eventId: stored.at(-1)!.eventId, institutionId: "MAIN", correlationId: outcome.correlationId });
    expect(published.event).toMatchObject({ type: "ItemStatusUpdated", event: { properties: "bin 4; sorter lane 2" } });

    expect(accepted17(await h.getItemInformation("I0001")).item?.properties).toBe("bin 4; sorter lane 2");
  });

  it("19 delivered twice: one effect, the same reply (marked replayed)", async () => {
    const envelope = h.gateway.envelope(update19("I0020", "shelf A"));
    const [first] = await h.gateway.publish(envelope);
    const [second] = await h.gateway.publish(envelope);
    expect(second?.replayed).toBe(true);
    expect({ ...second, replayed: false }).toEqual(first);
    const stored = (await h.storedEvents("I0020")).filter((e) => e.type === "ItemStatusUpdated");
    expect(stored).toHaveLength(1);
  });

  it("19 past its deadline: dropped unapplied, answered DEADLINE_EXCEEDED", async () => {
    const before = await h.storedEvents("I0009");
    const outcome = await h.gateway.send(update19("I0009", "too late"), { deadline: new Date(Date.now() - 1_000) });
    expect(refused(outcome).reason).toBe(commands.RefusalReason.DEADLINE_EXCEEDED);
    expect(await h.storedEvents("I0009")).toHaveLength(before.length);
    expect((await h.row("I0009"))?.properties).toBeNull();
  });

  it("19 for an unknown item: refused ITEM_NOT_FOUND, nothing stored", async () => {
    const outcome = await h.gateway.send(update19("NOPE", "x"));
    expect(refused(outcome).reason).toBe(commands.RefusalReason.ITEM_NOT_FOUND);
    expect(await h.storedEvents("NOPE")).toEqual([]);
  });
});
