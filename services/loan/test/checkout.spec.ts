import { commands, hold, item } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, refused } from "@circulate/service/testing";
import { DAY_MS, Harness, NOW } from "./harness.js";
import { ADA, BABBAGE, checkout, HOPPER, seedLibrary, streamOf, TURING } from "./library.js";

const R = commands.RefusalReason;
/** 14 days from Wed 12 March 2025 in New York: Wed 26 March, 23:59:59 EDT. */
const DUE_IN_14_DAYS = new Date("2025-03-27T03:59:59.000Z");

describe("checkout (11)", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await seedLibrary(h);
  });
  afterAll(() => h.stop());

  it("lends an available book: ItemCheckedOut stored, loans row, reply with the due date, event on JetStream", async () => {
    h.world.item("C1");
    const outcome = await h.send(checkout("P0001", "C1"));

    const reply = accepted(outcome, "checkOutItem");
    expect(reply).toMatchObject({ patronId: ADA.patronId, dueAt: DUE_IN_14_DAYS, renewal: false, offline: false, desensitize: true });
    expect(reply.item).toMatchObject({ itemId: "id-C1", title: "Title of C1" });
    expect(reply.loanId).not.toBe("");

    const stored = await h.stream(streamOf("C1"));
    expect(stored.map((e) => e.type)).toEqual(["ItemCheckedOut"]);
    expect(stored[0]!.data).toMatchObject({
      loanId: reply.loanId,
      patronId: ADA.patronId,
      patron: { institutionId: "MAIN", barcode: "P0001" },
      dueAt: DUE_IN_14_DAYS.toISOString(),
      terms: { loanable: true, periodUnit: "LOAN_PERIOD_UNIT_DAYS", periodLength: 14, renewalLimit: 2, finePolicy: { perDay: { currency: "USD", amountMinor: 25 } } },
    });

    expect(await h.loanRow("C1")).toMatchObject({ loan_id: reply.loanId, patron_id: ADA.patronId, due_at: DUE_IN_14_DAYS, renewal_count: 0 });

    const published = await h.published(stored[0]!.eventId);
    expect(published.subject).toBe(`${h.subjectPrefix}.evt.loan.ItemCheckedOut`);
    expect(published.envelope).toMatchObject({ institutionId: "MAIN", correlationId: outcome.correlationId, offline: false, streamPosition: 1 });
    expect(published.event).toMatchObject({ type: "ItemCheckedOut", event: { loanId: reply.loanId, title: "Title of C1", dueAt: DUE_IN_14_DAYS } });

    // The one synchronous question of a checkout, the PIN check, is timed on /metrics.
    const metrics = await (await fetch(`${h.service.ops.url}/metrics`)).text();
    expect(metrics).toMatch(/circulate_peer_call_duration_seconds_count\{peer="patron",method="VerifyPatron",result="OK"\} [1-9]/);
    expect(metrics).toMatch(/circulate_commands_total\{command="checkOutItem",result="accepted",reason=""\} [1-9]/);
  });

  it("the same command delivered twice has one effect and the same reply", async () => {
    h.world.item("C2");
    const envelope = h.envelope(checkout("P0001", "C2"));
    const [first] = await h.publish(envelope);
    const [again] = await h.publish(envelope);
    expect(again!.replayed).toBe(true);
    expect(again!.result).toEqual(first!.result);
    expect(await h.stream(streamOf("C2"))).toHaveLength(1);
    // The PIN was checked once: a redelivery must not count towards the lock-out.
    expect(h.world.verifyRequests.filter((r) => r.correlationId === envelope.correlationId)).toHaveLength(1);
  });

  it("drops a command that arrives past its deadline, with no effect", async () => {
    h.world.item("C3");
    const outcome = await h.send(checkout("P0001", "C3"), { deadline: new Date(Date.now() - 1) });
    expect(refused(outcome).reason).toBe(R.DEADLINE_EXCEEDED);
    expect(await h.stream(streamOf("C3"))).toEqual([]);
    expect(await h.loanRow("C3")).toBeUndefined();
  });

  it("refuses unapplied a command whose deadline passes while a peer answers", async () => {
    h.world.item("C4");
    h.world.patron({ patronId: "pat-slow", barcode: "P0099", name: "Slow", patronType: "adult", pin: "1234", delayMs: 700 });
    const outcome = await h.send(checkout("P0099", "C4"), { timeoutMs: 300 });
    expect(refused(outcome).reason).toBe(R.DEADLINE_EXCEEDED);
    await new Promise((r) => setTimeout(r, 600));
    expect(await h.stream(streamOf("C4"))).toEqual([]);
  });

  it.each([
    ["a blocked patron", () => h.send(checkout(TURING.barcode, "C5")), "C5", R.PATRON_BLOCKED],
    ["a wrong PIN", () => h.send(checkout("P0001", "C6", { pin: "9999" })), "C6", R.PATRON_PIN_INVALID],
    ["a non-circulating item", () => h.send(checkout("P0001", "C7")), "C7", R.ITEM_NOT_CIRCULATING],
    ["an item trapped for another patron", () => h.send(checkout("P0001", "C8")), "C8", R.ITEM_ON_HOLD_FOR_OTHER],
  ])("refuses %s, recording nothing", async (_, send, barcode, reason) => {
    h.world.item(barcode, barcode === "C7" ? { circulating: false, itemType: "reference" } : {});
    if (barcode === "C8") {
      h.world.hold({ holdId: "h-8", patronId: JOHNSON_ID, titleId: "title-C8", status: hold.HoldStatus.AVAILABLE, trappedItem: { institutionId: "MAIN", barcode: "C8" } });
    }
    const outcome = await send();
    const refusal = refused(outcome);
    expect(refusal.reason).toBe(reason);
    expect(refusal.item?.title).toBe(`Title of ${barcode}`);
    expect(await h.stream(streamOf(barcode))).toEqual([]);
    expect(await h.loanRow(barcode)).toBeUndefined();
  });

  it("two concurrent checkouts of one item: exactly one succeeds, the other is told it is on loan to someone else", async () => {
    h.world.item("C9");
    const [a, b] = [h.envelope(checkout("P0001", "C9")), h.envelope(checkout(HOPPER.barcode, "C9"))];
    const [[first], [second]] = await Promise.all([h.publish(a), h.publish(b)]);
    const outcomes = [first!, second!];
    const winners = outcomes.filter((o) => o.result?.$case === "accepted");
    const losers = outcomes.filter((o) => o.result?.$case === "refused");
    expect(winners).toHaveLength(1);
    expect(losers.map((o) => refused(o).reason)).toEqual([R.ITEM_ON_LOAN_TO_OTHER]);
    expect((await h.stream(streamOf("C9"))).map((e) => e.type)).toEqual(["ItemCheckedOut"]);
    const rows = await h.service.db.selectFrom("loans").selectAll().where("item_barcode", "=", "C9").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.patron_id).toBe(accepted(winners[0]!, "checkOutItem").patronId);
  });

  it("a checkout of an item the patron already has renews it when the terminal allows renewals", async () => {
    h.world.item("C10");
    const first = accepted(await h.send(checkout("P0001", "C10")), "checkOutItem");
    const again = accepted(await h.send(checkout("P0001", "C10", { renewalAllowed: true })), "checkOutItem");
    expect(again).toMatchObject({ renewal: true, loanId: first.loanId });
    const stored = await h.stream(streamOf("C10"));
    expect(stored.map((e) => e.type)).toEqual(["ItemCheckedOut", "LoanRenewed"]);
    expect(stored[1]!.data).toMatchObject({ viaCheckout: true, renewalCount: 1 });
    expect(await h.loanRow("C10")).toMatchObject({ renewal_count: 1 });
  });

  it("a checkout of an item the patron already has is refused when the terminal does not allow renewals: never a silent extension", async () => {
    h.world.item("C11");
    await h.send(checkout("P0001", "C11"));
    const outcome = await h.send(checkout("P0001", "C11", { renewalAllowed: false }));
    expect(refused(outcome)).toMatchObject({ reason: R.ITEM_ALREADY_ON_LOAN_TO_PATRON, dueAt: DUE_IN_14_DAYS });
    expect(await h.stream(streamOf("C11"))).toHaveLength(1);
  });

  it("a no-block checkout is applied despite a blocked patron, keeping the kiosk's due date, marked offline", async () => {
    h.world.item("C12", { state: item.ItemState.MISSING });
    const kioskDue = new Date("2025-03-20T21:00:00.000Z");
    const happened = new Date(NOW.getTime() - 3_600_000);
    const envelope = h.envelope(checkout(TURING.barcode, "C12", { noBlock: true, noBlockDueDate: kioskDue, pin: "0000" }), { terminalTime: happened });
    const [outcome] = await h.publish(envelope);
    expect(accepted(outcome!, "checkOutItem")).toMatchObject({ offline: true, dueAt: kioskDue, patronId: TURING.patronId });
    const [stored] = await h.stream(streamOf("C12"));
    expect(stored!.data).toMatchObject({ offline: true, dueDateFromTerminal: true, checkedOutAt: happened.toISOString() });
    expect(stored!.occurredAt).toEqual(happened);
    expect((await h.published(stored!.eventId)).envelope.offline).toBe(true);
    // An offline transaction is not judged on the PIN, so it is not sent to be counted.
    expect(h.world.verifyRequests.filter((r) => r.correlationId === envelope.correlationId).map((r) => r.pin)).toEqual([undefined]);
  });

  it("a checkout of a copy trapped for this patron fulfils their hold", async () => {
    h.world.item("C13");
    h.world.hold({ holdId: "h-13", patronId: BABBAGE.patronId, titleId: "title-C13", status: hold.HoldStatus.AVAILABLE, trappedItem: { institutionId: "MAIN", barcode: "C13" } });
    accepted(await h.send(checkout(BABBAGE.barcode, "C13")), "checkOutItem");
    expect((await h.stream(streamOf("C13")))[0]!.data).toMatchObject({ holdFulfilled: true });
  });

  it("a loan due on a day the institution is closed falls due at the end of the next open day", async () => {
    await h.call(h.loans.upsertCalendar, { calendar: { institutionId: "MAIN", location: "", timeZone: "America/New_York", closedWeekdays: [], closedDates: ["2025-03-26"], closingTime: "" } });
    h.world.item("C14");
    const reply = accepted(await h.send(checkout("P0001", "C14")), "checkOutItem");
    expect(reply.dueAt).toEqual(new Date(DUE_IN_14_DAYS.getTime() + DAY_MS));
    await h.call(h.loans.upsertCalendar, { calendar: { institutionId: "MAIN", location: "", timeZone: "", closedWeekdays: [], closedDates: [], closingTime: "" } });
  });

  it("decides on the item as its newest event describes it: an older event arriving again changes nothing", async () => {
    const available = h.world.item("C15");
    await h.publishWorld();
    h.world.item("C15", { state: item.ItemState.LOST });
    await h.publishWorld();
    // The first event again (a replay from the stream), older than what is stored.
    await h.publishPeerEvent("ItemDetailsUpdated", { itemId: available.itemId, current: available }, 1);
    expect(refused(await h.send(checkout("P0001", "C15"))).reason).toBe(commands.RefusalReason.ITEM_LOST);
  });

  it("a hold closed in the hold service no longer keeps the copy from others", async () => {
    h.world.item("C16");
    const trapped = h.world.hold({ holdId: "h-16", patronId: JOHNSON_ID, titleId: "title-C16", status: hold.HoldStatus.AVAILABLE, trappedItem: { institutionId: "MAIN", barcode: "C16" } });
    expect(refused(await h.send(checkout("P0001", "C16"))).reason).toBe(commands.RefusalReason.ITEM_ON_HOLD_FOR_OTHER);
    h.world.hold({ ...trapped, status: hold.HoldStatus.EXPIRED });
    accepted(await h.send(checkout("P0001", "C16")), "checkOutItem");
  });
});

const JOHNSON_ID = "pat-johnson";
