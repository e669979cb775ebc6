import { commands, item, loan, packEvent } from "@circulate/contracts";
import { accepted, refused } from "@circulate/service/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemFactsSubscription } from "../src/app/peer-events.js";
import { cancelHold, type Harness, itemRef, placeHold, startHarness } from "./hold.harness.js";
import { loanAfterCheckout } from "@circulate/service/testing";
import { itemMessage } from "./peer-events.js";

const Reason = commands.RefusalReason;

/** A copy not among the demo ones, registered by the test. */
const NEW = item.Item.fromPartial({
  itemId: "item-30",
  item: itemRef("I0030"),
  title: "The Left Hand of Darkness",
  titleId: "bib-left-hand",
  permanentLocation: "EAST",
  currentLocation: "EAST",
  circulating: true,
  state: item.ItemState.AVAILABLE,
});

describe("copies and loans known from the item and loan services' events", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const itemRow = (itemId: string) => h.db.selectFrom("items").selectAll().where("item_id", "=", itemId).executeTakeFirst();
  const loanRow = (barcode: string) => h.db.selectFrom("item_loans").selectAll().where("barcode", "=", barcode).executeTakeFirst();
  /** Publishes a marker item event and waits for it: everything published before it has been consumed. */
  async function drainItemEvents() {
    const marker = itemMessage("I0012", { title: `marker ${Date.now()}` });
    await h.publish.item("ItemDetailsUpdated", item.ItemDetailsUpdated.fromPartial({ itemId: marker.itemId, current: marker }));
    await h.eventually(
      () => itemRow("item-12"),
      (r) => r?.title === marker.title,
    );
  }

  it("a copy registered a moment ago can be held at once (the barrier waits for its event)", async () => {
    await h.publish.item("ItemRegistered", item.ItemRegistered.fromPartial({ itemId: NEW.itemId, item: NEW.item, current: NEW }));
    const reply = accepted(await h.send(placeHold("P0001", { item: itemRef("I0030"), pickupLocation: "EAST" })), "placeHold");
    expect(reply).toMatchObject({ titleIdentifier: "bib-left-hand", title: "The Left Hand of Darkness", available: true, queuePosition: 1 });
    expect(await itemRow("item-30")).toMatchObject({ institution_id: "MAIN", barcode: "I0030", title_id: "bib-left-hand", home_location: "EAST", circulating: true, stream_position: 1 });
  });

  it("the latest event of a copy is the copy: a withdrawn one can no longer be held", async () => {
    const withdrawn = { ...NEW, state: item.ItemState.WITHDRAWN };
    await h.publish.item("ItemWithdrawn", item.ItemWithdrawn.fromPartial({ itemId: NEW.itemId, reason: "worn out", current: withdrawn }));
    expect(refused(await h.send(placeHold("P0005", { item: itemRef("I0030") }))).reason).toBe(Reason.ITEM_NOT_CIRCULATING);
    expect(await itemRow("item-30")).toMatchObject({ state: item.ItemState.WITHDRAWN, stream_position: 2 });
  });

  it("a redelivered item event changes nothing, nor does an older one delivered late", async () => {
    const before = await itemRow("item-30");
    // The host drops a repeated event id; applied again anyway, the row stays as it is.
    const subscription = itemFactsSubscription({ logger: pino({ level: "silent" }) });
    const current = { ...NEW, state: item.ItemState.WITHDRAWN };
    const event = packEvent("ItemWithdrawn", item.ItemWithdrawn.fromPartial({ itemId: NEW.itemId, current }));
    const envelope = { eventId: "again", streamId: "item-item-30", streamPosition: 2, institutionId: "MAIN", ...event } as never;
    await h.db.transaction().execute((trx) => subscription.handle({ type: "ItemWithdrawn", event: item.ItemWithdrawn.decode(event.payload) }, envelope, trx));
    expect(await itemRow("item-30")).toEqual(before);

    // The registration again, under a new event id (past any dedupe): older than what was applied.
    await h.publish.item("ItemRegistered", item.ItemRegistered.fromPartial({ itemId: NEW.itemId, item: NEW.item, current: NEW }), 1);
    await drainItemEvents();
    expect(await itemRow("item-30")).toEqual(before);
  });

  it("a relabelled copy takes its new barcode with it", async () => {
    const relabelled = { ...itemMessage("I0011"), item: itemRef("I0031") };
    await h.publish.item("ItemDetailsUpdated", item.ItemDetailsUpdated.fromPartial({ itemId: relabelled.itemId, item: relabelled.item, current: relabelled }));
    await drainItemEvents();
    expect(await itemRow("item-11")).toMatchObject({ barcode: "I0031", title_id: "bib-war-and-peace" });
    expect(refused(await h.send(placeHold("P0005", { item: itemRef("I0011") }))).reason).toBe(Reason.ITEM_NOT_FOUND);
  });

  it("a copy on loan is not available; checked in, it is; a late checkout event does not lend it again", async () => {
    const onLoan = accepted(await h.send(placeHold("P0001", { item: itemRef("I0005") })), "placeHold");
    expect(onLoan).toMatchObject({ available: false, queuePosition: 1 });
    accepted(await h.send(cancelHold("P0001", { item: itemRef("I0005") })), "cancelHold");

    await h.publish.checkin("I0005");
    expect(accepted(await h.send(placeHold("P0001", { item: itemRef("I0005") })), "placeHold")).toMatchObject({ available: true, queuePosition: 1 });
    expect(await loanRow("I0005")).toMatchObject({ on_loan: false, stream_position: 2 });

    // The demo checkout (position 1) delivered again under a new event id, after the checkin.
    await h.publish.checkout("P0005", "I0005", false, 1);
    await h.publish.checkin("I0007");
    await h.eventually(
      () => loanRow("I0007"),
      (r) => r?.on_loan === false,
    );
    expect(await loanRow("I0005")).toMatchObject({ on_loan: false, stream_position: 2 });
  });

  it("events of one loan applied out of order (its renewal before its checkout) end with the loan as the newest says", async () => {
    const checkout = loan.ItemCheckedOut.fromPartial({
      loanId: "loan-6",
      itemId: "item-6",
      item: itemRef("I0006"),
      patronId: "pat-P0006",
      patron: { institutionId: "MAIN", barcode: "P0006" },
      checkedOutAt: new Date(),
      dueAt: new Date(Date.now() + 14 * 86_400_000),
    });
    const current = loanAfterCheckout(checkout);
    const dueAt = new Date(Date.now() + 28 * 86_400_000);
    const renewed = loan.LoanRenewed.fromPartial({
      loanId: "loan-6",
      itemId: "item-6",
      item: itemRef("I0006"),
      patronId: "pat-P0006",
      dueAt,
      renewalCount: 1,
      current: { ...current, dueAt, renewalCount: 1 },
    });
    // Two replicas sharing the consumer: the renewal (position 2) is applied before the checkout (position 1).
    await h.publish.loan("LoanRenewed", "I0006", renewed, 2);
    await h.publish.loan("ItemCheckedOut", "I0006", { ...checkout, current }, 1);
    // The hold's barrier waits for both.
    expect(accepted(await h.send(placeHold("P0001", { item: itemRef("I0006") })), "placeHold")).toMatchObject({ available: false, queuePosition: 1 });
    expect(await loanRow("I0006")).toMatchObject({ stream_id: "loan-MAIN-I0006", on_loan: true, loan_id: "loan-6", stream_position: 2 });
    accepted(await h.send(cancelHold("P0001", { item: itemRef("I0006") })), "cancelHold");
  });

  it("asks the patron service only to check the PIN: 15 + and - ask nothing else, a checkin's trap asks nobody", async () => {
    const calls = () => ({ ...h.peers.calls });
    const before = calls();
    const held = accepted(await h.send(placeHold("P0006", { item: itemRef("I0002"), pickupLocation: "EAST" })), "placeHold");
    expect(calls()).toEqual({ ...before, verifyPatron: (before.verifyPatron ?? 0) + 1 });

    const beforeTrap = calls();
    await h.publish.checkin("I0002", { holdId: held.holdId, location: "MAIN", inTransit: true, destinationLocation: "EAST" });
    await h.loanEventsApplied();
    const trapped = await h.db.selectFrom("holds").select(["status", "trapped_item_barcode"]).where("hold_id", "=", held.holdId).executeTakeFirstOrThrow();
    expect(trapped).toEqual({ status: "in_transit", trapped_item_barcode: "I0002" });
    expect(calls()).toEqual(beforeTrap);

    accepted(await h.send(cancelHold("P0006", { item: itemRef("I0002") })), "cancelHold");
    expect(calls()).toEqual({ ...beforeTrap, verifyPatron: (beforeTrap.verifyPatron ?? 0) + 1 });
  });
});
