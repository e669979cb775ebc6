import { randomUUID } from "node:crypto";
import { common, hold, item as itemPb, loan } from "@circulate/contracts";
import { accepted } from "@circulate/service/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { book, eventually, ItemHarness, loanAfter } from "./support.js";

const h = new ItemHarness();
const MAIN = (barcode: string) => ({ institutionId: "MAIN", barcode });

async function itemIdOf(barcode: string): Promise<string> {
  return (await h.row(barcode))!.item_id;
}

/** A checkout as the loan service publishes it, carrying the loan it starts (`current`). */
function checkedOut(barcode: string, itemId: string, loanId = `L-${barcode}`) {
  const e = legacyCheckedOut(barcode, itemId, loanId);
  return { ...e, current: loanAfter(e) };
}

/** A checkout stored before loan events carried `current`. */
function legacyCheckedOut(barcode: string, itemId: string, loanId = `L-${barcode}`) {
  return loan.ItemCheckedOut.fromPartial({
    loanId,
    itemId,
    item: MAIN(barcode),
    patronId: "P0001",
    patron: { institutionId: "MAIN", barcode: "P0001" },
    title: `Title of ${barcode}`,
    checkedOutAt: new Date(),
    dueAt: new Date(Date.now() + 14 * 86_400_000),
    terminalAccount: "kiosk1",
    location: "DESK",
  });
}

function checkedIn(barcode: string, itemId: string, location: string) {
  return loan.ItemCheckedIn.fromPartial({
    loanId: `L-${barcode}`,
    itemId,
    item: MAIN(barcode),
    patronId: "P0001",
    returnedAt: new Date(),
    location,
    institutionId: "MAIN",
  });
}

const stateOf = async (barcode: string) => (await h.row(barcode))?.state;
const waitForState = (barcode: string, state: string) =>
  eventually(async () => (await stateOf(barcode)) === state && (await h.row(barcode)));

describe("item service: item states follow loan and hold events", () => {
  beforeAll(async () => {
    await h.start();
    await h.upsert([book("I0001"), book("I0002"), book("I0003"), book("I0004"), book("I0007"), book("I0011"), book("I0012"), book("I0013"), book("I0014"), book("I0015"), book("I0016")]);
  });
  afterAll(() => h.stop());

  it("ItemCheckedOut on the loan stream puts the item on loan; the same event delivered again changes nothing", async () => {
    const itemId = await itemIdOf("I0001");
    const published = await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0001", itemId));
    await waitForState("I0001", "on_loan");
    const stored = await h.storedEvents("I0001");
    expect(stored.at(-1)).toMatchObject({
      type: "ItemMarkedOnLoan",
      data: { itemId, loanId: "L-I0001" },
      metadata: { institution: "MAIN", causationId: published.eventId, correlationId: published.envelope.correlationId },
    });

    // Re-published inside JetStream's duplicate window: dropped by the stream.
    const again = await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0001", itemId), { eventId: published.eventId });
    expect(again.ack.duplicate).toBe(true);

    // Re-published after the window (a relay that re-sends late): stored again, deduped by the consumer.
    const jsm = await h.jsm();
    const stream = h.eventStream("loan");
    const info = await jsm.streams.info(stream);
    await jsm.streams.update(stream, { ...info.config, duplicate_window: 100_000_000 });
    await new Promise((r) => setTimeout(r, 250));
    const late = await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0001", itemId), { eventId: published.eventId });
    expect(late.ack.duplicate).toBe(false);
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= late.ack.seq);
    expect(await h.storedEvents("I0001")).toHaveLength(stored.length);
    await jsm.streams.update(stream, { ...info.config });
  });

  it("an event for an item already in that state is accepted without a new event (a second checkout of the loan)", async () => {
    const itemId = await itemIdOf("I0001");
    const before = await h.storedEvents("I0001");
    const other = await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0001", itemId));
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= other.ack.seq);
    expect(await h.storedEvents("I0001")).toHaveLength(before.length);
  });

  it("ItemCheckedIn returns the item: available where it was checked in; redelivered, nothing changes", async () => {
    const itemId = await itemIdOf("I0001");
    const checkIn = checkedIn("I0001", itemId, "DESK");
    const published = await h.publishEvent("loan", "ItemCheckedIn", checkIn);
    const row = await waitForState("I0001", "available");
    expect(row).toMatchObject({ current_institution_id: "MAIN", current_location: "DESK", last_check_in_ids: [published.envelope.causationId, published.envelope.correlationId] });
    const stored = await h.storedEvents("I0001");
    expect(stored.at(-1)).toMatchObject({
      type: "ItemReturned",
      data: { location: "DESK", institutionId: "MAIN", checkInId: published.envelope.causationId },
    });

    const again = await h.publishEvent("loan", "ItemCheckedIn", checkIn, { eventId: published.eventId });
    expect(again.ack.duplicate).toBe(true);
    const rescan = await h.publishEvent("loan", "ItemCheckedIn", checkIn);
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= rescan.ack.seq);
    expect(await h.storedEvents("I0001")).toHaveLength(stored.length);
  });

  it("LoanImported (the loan service's import) puts the item on loan", async () => {
    const itemId = await itemIdOf("I0011");
    const imported = loan.LoanImported.fromPartial({ loanId: "L-imported", itemId, item: MAIN("I0011"), patronId: "P0006", dueAt: new Date(), renewalCount: 2 });
    await h.publishEvent("loan", "LoanImported", { ...imported, current: loanAfter(imported, 2) });
    await waitForState("I0011", "on_loan");
  });

  it("ItemCheckedIn at another institution sends the item in transit home; 17 says 10 with the destination", async () => {
    const itemId = await itemIdOf("I0002");
    await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0002", itemId));
    await waitForState("I0002", "on_loan");
    await h.publishEvent("loan", "ItemCheckedIn", { ...checkedIn("I0002", itemId, "EAST-DESK"), institutionId: "EAST" }, { institutionId: "EAST" });
    const row = await waitForState("I0002", "in_transit");
    expect(row).toMatchObject({ current_institution_id: "EAST", current_location: "EAST-DESK" });
    expect((await h.storedEvents("I0002")).at(-1)).toMatchObject({
      type: "ItemTransitStarted",
      data: { fromLocation: "EAST-DESK", toLocation: "STACKS", toInstitutionId: "MAIN", reason: "TRANSIT_REASON_RETURN_HOME" },
    });
    const outcome = await h.getItemInformation("I0002");
    expect(accepted(outcome, "getItemInformation")).toMatchObject({
      circulationStatus: common.CirculationStatus.IN_TRANSIT,
      destinationLocation: "STACKS",
    });
  });

  it("a check-in that carries its hold trap sends the item straight on: in transit to the pickup, or onto the hold shelf here", async () => {
    for (const [barcode, inTransit, destination] of [
      ["I0012", true, "BRANCH"],
      ["I0013", false, "DESK"],
    ] as const) {
      const itemId = await itemIdOf(barcode);
      await h.publishEvent("loan", "ItemCheckedOut", checkedOut(barcode, itemId));
      await waitForState(barcode, "on_loan");
      await h.publishEvent("loan", "ItemCheckedIn", { ...checkedIn(barcode, itemId, "DESK"), holdId: `H-${barcode}`, inTransit, destinationLocation: destination });
      const row = await waitForState(barcode, inTransit ? "in_transit" : "on_hold_shelf");
      const types = (await h.storedEvents(barcode)).map((e) => e.type);
      expect(types.slice(-2)).toEqual(["ItemReturned", inTransit ? "ItemTransitStarted" : "ItemPlacedOnHoldShelf"]);
      expect((await h.storedEvents(barcode)).at(-1)?.data).toMatchObject({ holdId: `H-${barcode}` });
      expect(row.circulation).toEqual(
        inTransit
          ? { state: "in_transit", destination: { institution: "MAIN", location: "BRANCH" }, reason: "hold" }
          : { state: "on_hold_shelf", pickup: { institution: "MAIN", location: "DESK" } },
      );
    }
  });

  it("a hold trap that arrives before its check-in puts the item on the hold shelf, never on the open shelf first", async () => {
    const itemId = await itemIdOf("I0003");
    await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0003", itemId));
    await waitForState("I0003", "on_loan");
    const checkInId = randomUUID();
    await h.publishEvent(
      "hold",
      "HoldTrapped",
      hold.HoldTrapped.fromPartial({ holdId: "H3", patronId: "P0005", item: MAIN("I0003"), itemId, location: "DESK", inTransit: false, checkInId, pickupLocation: "DESK" }),
    );
    await eventually(async () =>
      h.service.db.selectFrom("item_pending_traps").selectAll().where("check_in_id", "=", checkInId).executeTakeFirst(),
    );
    expect(await stateOf("I0003")).toBe("on_loan");
    await h.publishEvent("loan", "ItemCheckedIn", checkedIn("I0003", itemId, "DESK"), { causationId: checkInId });
    await waitForState("I0003", "on_hold_shelf");
    const types = (await h.storedEvents("I0003")).map((e) => e.type);
    expect(types.slice(-2)).toEqual(["ItemReturned", "ItemPlacedOnHoldShelf"]);
    expect((await h.storedEvents("I0003")).at(-1)?.data).toMatchObject({ pickupLocation: "DESK", holdId: "H3" });
    expect(await h.service.db.selectFrom("item_pending_traps").selectAll().where("check_in_id", "=", checkInId).execute()).toEqual([]);
  });

  it("a hold trap that arrives after its check-in applies at once: in transit to the pickup branch, then HoldShelved puts it on that shelf", async () => {
    const itemId = await itemIdOf("I0004");
    await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0004", itemId));
    await waitForState("I0004", "on_loan");
    const checkInId = randomUUID();
    await h.publishEvent("loan", "ItemCheckedIn", checkedIn("I0004", itemId, "DESK"), { causationId: checkInId });
    await eventually(async () => (await h.row("I0004"))?.last_check_in_ids.includes(checkInId));
    await h.publishEvent(
      "hold",
      "HoldTrapped",
      hold.HoldTrapped.fromPartial({ holdId: "H4", item: MAIN("I0004"), itemId, location: "DESK", inTransit: true, checkInId, pickupLocation: "BRANCH" }),
    );
    const row = await waitForState("I0004", "in_transit");
    expect(row.circulation).toEqual({ state: "in_transit", destination: { institution: "MAIN", location: "BRANCH" }, reason: "hold" });

    await h.publishEvent(
      "hold",
      "HoldShelved",
      hold.HoldShelved.fromPartial({ holdId: "H4", item: MAIN("I0004"), itemId, pickupLocation: "BRANCH", pickupBy: new Date() }),
    );
    const shelved = await waitForState("I0004", "on_hold_shelf");
    expect(shelved).toMatchObject({ current_location: "BRANCH" });
  });

  it("the last event of each item carries the item as GetItem returns it now (event-carried state)", async () => {
    for (const barcode of ["I0001", "I0002", "I0003", "I0004", "I0011", "I0012", "I0013"]) {
      const last = (await h.storedEvents(barcode)).at(-1)!;
      const current = (last.data as { current?: unknown }).current;
      expect(itemPb.Item.fromJSON(current), `${barcode} ${last.type}`).toEqual(await h.getItem({ key: { $case: "item", value: MAIN(barcode) } }));
    }
  });

  it("a loan event for an item the service does not know is skipped, not retried forever", async () => {
    const skipped = await h.publishEvent("loan", "ItemCheckedOut", checkedOut("GHOST", "no-such-item"));
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= skipped.ack.seq);
    expect(await h.row("GHOST")).toBeUndefined();
  });

  it("a loan or hold event delivered again changes nothing in the loan and hold facts kept for 17", async () => {
    const itemId = await itemIdOf("I0014");
    const loanStream = { streamId: `loan-${itemId}` };
    const checkout = checkedOut("I0014", itemId, "L-14");
    const out = await h.publishEvent("loan", "ItemCheckedOut", checkout, loanStream);
    const renewedDue = new Date(Date.now() + 28 * 86_400_000);
    await h.publishEvent(
      "loan",
      "LoanRenewed",
      loan.LoanRenewed.fromPartial({
        loanId: "L-14",
        itemId,
        item: MAIN("I0014"),
        dueAt: renewedDue,
        renewalCount: 1,
        current: { ...checkout.current, dueAt: renewedDue, renewalCount: 1 },
      }),
      loanStream,
    );
    // Holds that do not name their queue's institution: it is read from the queue's stream id.
    const queue = { streamId: "holdq-MAIN-T%2DI0014" };
    const waiting = { holdId: "H14", status: hold.HoldStatus.WAITING, titleId: "T-I0014" };
    const placed = hold.HoldPlaced.fromPartial({ holdId: "H14", titleId: "T-I0014", pickupLocation: "DESK", current: { ...waiting, pickupLocation: "DESK" } });
    const first = await h.publishEvent("hold", "HoldPlaced", placed, queue);
    const changed = hold.HoldChanged.fromPartial({ holdId: "H14", pickupLocation: "BRANCH", current: { ...waiting, pickupLocation: "BRANCH" } });
    const last = await h.publishEvent("hold", "HoldChanged", changed, queue);
    const facts = async () => ({
      loans: await h.service.db.selectFrom("item_loans").selectAll().where("item_id", "=", itemId).execute(),
      holds: await h.service.db.selectFrom("item_holds").selectAll().where("hold_id", "=", "H14").execute(),
      streams: await h.service.db.selectFrom("item_peer_streams").selectAll().orderBy("stream_id").execute(),
    });
    const applied = await eventually(async () => {
      const f = await facts();
      return f.loans[0]?.renewal_count === 1 && (await h.consumerCheckpoint("hold", "item-from-hold")) >= last.ack.seq && f;
    });
    expect(applied.loans[0]).toMatchObject({ loan_id: "L-14", due_at: renewedDue, renewal_count: 1, patron_id: "P0001" });
    expect(applied.holds).toEqual([
      expect.objectContaining({ hold_id: "H14", queue_institution_id: "MAIN", title_id: "T-I0014", status: "waiting", pickup_location: "BRANCH" }),
    ]);

    // Sent again under new message ids (a relay that lost track of what it sent): older than what was applied.
    const again = [
      await h.publishEvent("loan", "ItemCheckedOut", checkedOut("I0014", itemId, "L-14"), { ...loanStream, streamPosition: out.envelope.streamPosition }),
      await h.publishEvent("hold", "HoldPlaced", placed, { ...queue, streamPosition: first.envelope.streamPosition }),
      await h.publishEvent("hold", "HoldChanged", changed, { ...queue, streamPosition: last.envelope.streamPosition }),
    ];
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= again[0]!.ack.seq);
    await eventually(async () => (await h.consumerCheckpoint("hold", "item-from-hold")) >= again[2]!.ack.seq);
    expect(await facts()).toEqual(applied);
  });

  const loanRows = (itemId: string) => h.service.db.selectFrom("item_loans").selectAll().where("item_id", "=", itemId).execute();

  it("events of one loan applied out of order (its renewal before its checkout) end with the loan as the newest says", async () => {
    const itemId = await itemIdOf("I0015");
    const checkout = checkedOut("I0015", itemId, "L-15");
    const renewedDue = new Date(Date.now() + 28 * 86_400_000);
    const renewed = loan.LoanRenewed.fromPartial({
      loanId: "L-15",
      itemId,
      item: MAIN("I0015"),
      dueAt: renewedDue,
      renewalCount: 1,
      current: { ...checkout.current, dueAt: renewedDue, renewalCount: 1 },
    });
    // Two replicas sharing the consumer: the renewal (position 2) is applied before the checkout (position 1).
    await h.publishEvent("loan", "LoanRenewed", renewed, { streamPosition: 2 });
    const late = await h.publishEvent("loan", "ItemCheckedOut", checkout, { streamPosition: 1 });
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= late.ack.seq);
    expect(await loanRows(itemId)).toEqual([
      expect.objectContaining({ loan_id: "L-15", patron_id: "P0001", patron_barcode: "P0001", due_at: renewedDue, renewal_count: 1, recalled: false }),
    ]);
    const info = accepted(await h.getItemInformation("I0015"), "getItemInformation");
    expect(info).toMatchObject({ circulationStatus: common.CirculationStatus.CHARGED, dueAt: renewedDue });
  });

  it("loan events stored before they carried `current` keep the loan as they always did: renewed, then gone at check-in", async () => {
    const itemId = await itemIdOf("I0016");
    await h.publishEvent("loan", "ItemCheckedOut", legacyCheckedOut("I0016", itemId, "L-16"));
    const renewedDue = new Date(Date.now() + 21 * 86_400_000);
    await h.publishEvent("loan", "LoanRenewed", loan.LoanRenewed.fromPartial({ loanId: "L-16", itemId, item: MAIN("I0016"), dueAt: renewedDue, renewalCount: 1 }));
    const renewedRows = await eventually(async () => {
      const rows = await loanRows(itemId);
      return rows[0]?.renewal_count === 1 && rows;
    });
    expect(renewedRows).toEqual([expect.objectContaining({ loan_id: "L-16", due_at: renewedDue, renewal_count: 1 })]);
    const back = await h.publishEvent("loan", "ItemCheckedIn", { ...checkedIn("I0016", itemId, "DESK"), loanId: "L-16" });
    await eventually(async () => (await h.consumerCheckpoint("loan", "item-from-loan")) >= back.ack.seq);
    expect(await loanRows(itemId)).toEqual([]);
  });
});
