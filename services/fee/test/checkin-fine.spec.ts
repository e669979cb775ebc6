import { common, events, fee, loan, unpackEvent } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeStreamId } from "../src/domain/index.js";
import { eventually, type FeeHarness, MAIN, nextPublished, startFeeHarness, usd } from "./support.js";

// New York: due Monday 2025-03-03 at 23:59:59 local (EST), returned Thursday
// 2025-03-13 at 11:00 local (EDT, after the DST change): 10 local days late.
const DUE = new Date("2025-03-03T23:59:59-05:00");
const TEN_DAYS_LATE = new Date("2025-03-13T11:00:00-04:00");
const policy = (over: Partial<loan.FinePolicy> = {}) => loan.FinePolicy.create({ perDay: usd(25), max: usd(200), graceDays: 0, ...over });

const checkin = (barcode: string, over: Partial<loan.ItemCheckedIn> = {}) =>
  loan.ItemCheckedIn.create({
    loanId: `loan-${barcode}`,
    itemId: "item-I0005",
    item: { institutionId: MAIN, barcode: "I0005" },
    patronId: `pid-${barcode}`,
    patron: { institutionId: MAIN, barcode },
    returnedAt: TEN_DAYS_LATE,
    dueAt: DUE,
    location: "MAIN",
    title: "Hidden Figures",
    finePolicy: policy(),
    institutionId: MAIN,
    ...over,
  });

describe("overdue fines from the loan service's ItemCheckedIn", () => {
  let h: FeeHarness;

  beforeAll(async () => {
    h = await startFeeHarness({ patrons: ["P0001", "P0005", "P0006", "P0007"] });
    await h.api.upsertInstitutions({
      institutions: [fee.Institution.create({ institutionId: MAIN, name: "Main Library", timeZone: "America/New_York", currency: "USD" })],
    });
  });
  afterAll(async () => h?.stop());

  it("charges a 10-days-late return an overdue fine (type 04) capped at the rule's maximum", async () => {
    const { env } = await h.publishCheckin(checkin("P0005"));
    const streamId = feeStreamId(MAIN, "P0005");
    const stored = await eventually(async () => ((await h.stream(streamId)).length > 0 ? h.stream(streamId) : undefined));

    // 10 days × 0.25 = 2.50, capped at 2.00.
    expect(stored).toHaveLength(1);
    const charged = fee.FeeCharged.fromJSON(stored[0]!.data);
    expect(charged).toMatchObject({
      feeType: common.FeeType.OVERDUE,
      amount: usd(200),
      patronId: "pid-P0005",
      patron: { institutionId: MAIN, barcode: "P0005" },
      loanId: "loan-P0005",
      sourceId: env.eventId,
      daysLate: 10,
      chargeableDays: 10,
      title: "Hidden Figures",
      description: "overdue, 10 days late",
      balanceAfter: usd(200),
    });
    expect(charged.chargedAt).toEqual(TEN_DAYS_LATE);
    expect(stored[0]!.metadata).toMatchObject({ institution: MAIN, causationId: env.eventId, correlationId: env.correlationId });

    // Projection and query: the account owes 2.00 in one fine item.
    const res = await h.api.getAccount({ key: { $case: "patron", value: { institutionId: MAIN, barcode: "P0005" } } });
    expect(res.account?.balance).toEqual(usd(200));
    expect(res.account?.charges).toHaveLength(1);
    expect(res.account?.charges[0]).toMatchObject({ feeId: charged.feeId, feeType: common.FeeType.OVERDUE, outstanding: usd(200), loanId: "loan-P0005" });

    // Published on JetStream for other services.
    const msg = await nextPublished(h.nc, h.feeStream, `${h.nats.subjectPrefix}.evt.fee.FeeCharged`);
    const published = events.EventEnvelope.decode(msg.data);
    expect(msg.headers?.get("Nats-Msg-Id")).toBe(stored[0]!.eventId);
    expect(unpackEvent(published)).toMatchObject({ type: "FeeCharged", event: { feeId: charged.feeId, amount: usd(200) } });
  });

  it("charges a checkin once when the same ItemCheckedIn is delivered again", async () => {
    const event = checkin("P0006", { loanId: "loan-twice" });
    const first = await h.publishCheckin(event);
    await h.consumed(first.msgID);
    // Same msgID: JetStream's duplicate window drops it. Another msgID (a re-publication
    // after the window, or by another relay) reaches the consumer: the checkin's event id
    // is the assessment's key, so it still charges once.
    const again = await h.publishCheckin(event, { eventId: first.env.eventId });
    expect(again.ack.duplicate).toBe(true);
    const republished = await h.publishCheckin(event, { eventId: first.env.eventId, msgID: `republished-${first.env.eventId}` });
    await h.consumed(republished.msgID);

    const stored = await h.stream(feeStreamId(MAIN, "P0006"));
    expect(stored.map((e) => e.type)).toEqual(["FeeCharged"]);
    const res = await h.api.getAccount({ key: { $case: "patronId", value: "pid-P0006" } });
    expect(res.account?.balance).toEqual(usd(200));
    expect(res.account?.charges).toHaveLength(1);
  });

  it("assesses a no-block (offline) checkin the same way and marks the stored charge offline", async () => {
    const { msgID } = await h.publishLoanEvent("ItemCheckedIn", checkin("P0007"), { offline: true });
    await h.consumed(msgID);
    const stored = await h.stream(feeStreamId(MAIN, "P0007"));
    expect(stored).toHaveLength(1);
    expect(fee.FeeCharged.fromJSON(stored[0]!.data)).toMatchObject({ amount: usd(200), daysLate: 10, balanceAfter: usd(200) });
    expect(stored[0]!.metadata).toMatchObject({ offline: true });
  });

  it("charges nothing for a return within the grace days", async () => {
    const twoDaysLate = new Date("2025-03-05T10:00:00-05:00");
    const { msgID } = await h.publishCheckin(checkin("P0001", { returnedAt: twoDaysLate, finePolicy: policy({ graceDays: 3 }) }));
    await h.consumed(msgID);
    expect(await h.stream(feeStreamId(MAIN, "P0001"))).toEqual([]);
    const res = await h.api.getAccount({ key: { $case: "patron", value: { institutionId: MAIN, barcode: "P0001" } } });
    expect(res.account).toMatchObject({ balance: usd(0), charges: [] });
  });

  it("charges nothing for a loan returned on time or a rule without fines", async () => {
    const onTime = await h.publishCheckin(checkin("P0001", { loanId: "loan-on-time", returnedAt: new Date("2025-03-03T18:00:00-05:00") }));
    const noFines = await h.publishCheckin(checkin("P0001", { loanId: "loan-free", finePolicy: policy({ perDay: usd(0) }) }));
    await h.consumed(onTime.msgID);
    await h.consumed(noFines.msgID);
    expect(await h.stream(feeStreamId(MAIN, "P0001"))).toEqual([]);
  });
});

describe("other loan events that cost money", () => {
  let h: FeeHarness;

  beforeAll(async () => {
    h = await startFeeHarness({ patrons: ["P0001", "P0005"] });
  });
  afterAll(async () => h?.stop());

  it("waives the overdue fine of a checkin that was cancelled", async () => {
    const fined = await h.publishCheckin(checkin("P0005", { loanId: "loan-cancelled" }));
    await h.consumed(fined.msgID);
    const cancelled = await h.publishLoanEvent(
      "CheckinCancelled",
      loan.CheckinCancelled.create({ loanId: "loan-cancelled", itemId: "item-I0005", patronId: "pid-P0005", dueAt: DUE }),
    );
    await h.consumed(cancelled.msgID);
    const stored = await h.stream(feeStreamId(MAIN, "P0005"));
    expect(stored.map((e) => e.type)).toEqual(["FeeCharged", "FeeWaived"]);
    expect(fee.FeeWaived.fromJSON(stored[1]!.data)).toMatchObject({ amount: usd(200), reason: "checkin cancelled", balanceAfter: usd(0) });
    expect((await h.api.getAccount({ key: { $case: "patronId", value: "pid-P0005" } })).account).toMatchObject({ balance: usd(0), charges: [] });
  });

  it("charges the rental fee an ItemCheckedOut asks for, once", async () => {
    const checkout = loan.ItemCheckedOut.create({
      loanId: "loan-dvd",
      itemId: "item-I0009",
      item: { institutionId: MAIN, barcode: "I0009" },
      patronId: "pid-P0001",
      patron: { institutionId: MAIN, barcode: "P0001" },
      title: "Metropolis (DVD)",
      checkedOutAt: new Date("2025-03-01T10:00:00Z"),
      dueAt: new Date("2025-03-08T23:59:59Z"),
      fee: { feeType: common.FeeType.RENTAL, amount: usd(150), description: "DVD rental" },
    });
    const first = await h.publishLoanEvent("ItemCheckedOut", checkout);
    const republished = await h.publishLoanEvent("ItemCheckedOut", checkout, { eventId: first.env.eventId, msgID: `again-${first.env.eventId}` });
    await h.consumed(republished.msgID);
    const account = (await h.api.getAccount({ key: { $case: "patron", value: { institutionId: MAIN, barcode: "P0001" } } })).account!;
    expect(account.balance).toEqual(usd(150));
    expect(account.charges.map((c) => [c.feeType, c.description, c.loanId, c.title])).toEqual([[common.FeeType.RENTAL, "DVD rental", "loan-dvd", "Metropolis (DVD)"]]);
  });
});
