import { type common, type DomainEvent, fromStoredEvent, toStoredEvent } from "@circulate/contracts";
import type { Event, RecordedEvent } from "@circulate/eventstore";
import { describe, expect, it } from "vitest";
import { decideAssessOverdueFine } from "../assess-overdue-fine/assess-overdue-fine.decider.js";
import { type ChargeFee, decideChargeFee } from "../charge-fee/charge-fee.decider.js";
import { accountFrom, chargeForCheckin, feeBalanceView, findCharge } from "../domain/index.js";
import { decidePayFee } from "../pay-fee/pay-fee.decider.js";
import { decideWaiveFee } from "../waive-fee/waive-fee.decider.js";
import { evolveStored, initialAccount, toAppend } from "./account.store.js";

/**
 * Stored (and so published) fee events, as the hand-written codec wrote them
 * before the protobuf messages became the domain events. Existing streams and
 * other services' consumers read exactly this: key order included.
 */
const GOLDEN = {
  fine: {"type": "FeeCharged", "data": {"feeId": "c-fine", "patronId": "pid-P1", "feeType": "FEE_TYPE_OVERDUE", "amount": {"currency": "USD", "amountMinor": 75}, "description": "overdue, 3 days late", "item": {"institutionId": "BRANCH", "barcode": "I1"}, "title": "Middlemarch", "loanId": "loan-1", "sourceId": "evt-checkin-1", "patron": {"institutionId": "MAIN", "barcode": "P1"}, "chargedAt": "2025-03-06T09:00:00.000Z", "daysLate": 3, "chargeableDays": 3, "balanceAfter": {"currency": "USD", "amountMinor": 75}}},
  fineNoItem: {"type": "FeeCharged", "data": {"feeId": "c-fine2", "feeType": "FEE_TYPE_OVERDUE", "amount": {"currency": "USD", "amountMinor": 25}, "description": "overdue, 1 day late", "loanId": "loan-2", "sourceId": "evt-checkin-2", "patron": {"institutionId": "MAIN", "barcode": "P1"}, "chargedAt": "2025-03-04T09:00:00.000Z", "daysLate": 1, "chargeableDays": 1, "balanceAfter": {"currency": "USD", "amountMinor": 100}}},
  rental: {"type": "FeeCharged", "data": {"feeId": "c-rent", "patronId": "pid-P1", "feeType": "FEE_TYPE_RENTAL", "amount": {"currency": "USD", "amountMinor": 150}, "description": "rental", "item": {"institutionId": "MAIN", "barcode": "I2"}, "title": "Dune", "loanId": "loan-9", "sourceId": "evt-checkout-9", "patron": {"institutionId": "MAIN", "barcode": "P1"}, "chargedAt": "2025-04-30T09:00:00.000Z", "balanceAfter": {"currency": "USD", "amountMinor": 250}}},
  staff: {"type": "FeeCharged", "data": {"feeId": "c-staff", "patronId": "pid-P1", "feeType": "FEE_TYPE_DAMAGE", "amount": {"currency": "USD", "amountMinor": 1500}, "description": "water damage", "item": {"institutionId": "MAIN", "barcode": "I3"}, "sourceId": "req-1", "patron": {"institutionId": "MAIN", "barcode": "P1"}, "chargedAt": "2025-05-01T12:00:00.000Z", "balanceAfter": {"currency": "USD", "amountMinor": 1750}}},
  imported: {"type": "FeeCharged", "data": {"feeId": "c-imp", "patronId": "pid-P1", "feeType": "FEE_TYPE_ADMINISTRATIVE", "amount": {"currency": "USD", "amountMinor": 500}, "description": "card", "sourceId": "ext-1", "patron": {"institutionId": "MAIN", "barcode": "P1"}, "chargedAt": "2019-01-01T00:00:00.000Z", "balanceAfter": {"currency": "USD", "amountMinor": 2250}}},
  paid: {"type": "FeePaid", "data": {"paymentId": "r-1", "patronId": "pid-P1", "amount": {"currency": "USD", "amountMinor": 600}, "paymentType": "PAYMENT_TYPE_CREDIT_CARD", "transactionId": "TX-9", "terminalAccount": "kiosk1", "allocations": [{"feeId": "c-imp", "amount": {"currency": "USD", "amountMinor": 500}}, {"feeId": "c-fine2", "amount": {"currency": "USD", "amountMinor": 25}}, {"feeId": "c-fine", "amount": {"currency": "USD", "amountMinor": 75}}], "patron": {"institutionId": "MAIN", "barcode": "P1"}, "feeType": "FEE_TYPE_OTHER", "balanceAfter": {"currency": "USD", "amountMinor": 1650}}, "occurredAt": "2025-05-01T12:00:00.000Z"},
  paid2: {"type": "FeePaid", "data": {"paymentId": "r-2", "patronId": "pid-P1", "amount": {"currency": "USD", "amountMinor": 100}, "paymentType": "PAYMENT_TYPE_CASH", "allocations": [{"feeId": "c-staff", "amount": {"currency": "USD", "amountMinor": 100}}], "patron": {"institutionId": "MAIN", "barcode": "P1"}, "balanceAfter": {"currency": "USD", "amountMinor": 1550}}, "occurredAt": "2025-05-01T12:00:00.000Z"},
  waived: {"type": "FeeWaived", "data": {"feeId": "c-staff", "patronId": "pid-P1", "amount": {"currency": "USD", "amountMinor": 400}, "reason": "goodwill", "patron": {"institutionId": "MAIN", "barcode": "P1"}, "balanceAfter": {"currency": "USD", "amountMinor": 1150}, "staff": "jdoe"}, "occurredAt": "2025-05-01T12:00:00.000Z"},
};

const now = new Date("2025-05-01T12:00:00.000Z");
const P1 = { institutionId: "MAIN", barcode: "P1" };
const facts = { patronId: "pid-P1", at: now };
const history: DomainEvent<"fee">[] = [];
/** Decides on the account so far, keeps the events and returns them as the store would append them. */
const record = (events: readonly DomainEvent<"fee">[], over: Partial<typeof facts & { terminalAccount: string }> = {}) => {
  history.push(...events);
  return toAppend(events, { ...facts, ...over });
};
const stored = (e: unknown) => JSON.parse(JSON.stringify(e));
const sameJson = (actual: unknown, expected: unknown) => expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));

const fineCommand = {
  loanId: "loan-1",
  patron: P1,
  dueAt: "2025-03-03T23:59:59+01:00",
  policy: { finePerDay: 25, maxFine: 300, graceDays: 0 },
  currency: "USD",
  tz: "Europe/Paris",
};
const charge = (over: Partial<ChargeFee>): ChargeFee => ({
  chargeId: "c",
  patron: P1,
  feeType: "01",
  amount: 1,
  currency: "USD",
  description: "",
  item: null,
  title: null,
  chargedAt: null,
  ...over,
});

// The cases run in order on one account, as the codec's output was captured.
describe("stored fee events keep the codec's shape", () => {
  it("stores an overdue fine with the item's institution, the loan, the checkin and the days late", () => {
    const fine = decideAssessOverdueFine(
      { ...fineCommand, chargeId: "c-fine", checkinId: "evt-checkin-1", item: { institutionId: "BRANCH", barcode: "I1" }, title: "Middlemarch", returnedAt: "2025-03-06T10:00:00+01:00" },
      accountFrom(history),
      now.toISOString(),
    );
    sameJson(record(fine.events), [GOLDEN.fine]);
    const bare = decideAssessOverdueFine(
      { ...fineCommand, chargeId: "c-fine2", loanId: "loan-2", checkinId: "evt-checkin-2", item: { institutionId: "", barcode: "" }, title: null, returnedAt: "2025-03-04T10:00:00+01:00", policy: { finePerDay: 25, maxFine: null, graceDays: 0 } },
      accountFrom(history),
      now.toISOString(),
    );
    sameJson(record(bare.events, { patronId: "" }), [GOLDEN.fineNoItem]);
  });

  it("stores a rental, a staff charge and an imported charge", () => {
    const rental = charge({ chargeId: "c-rent", feeType: "06", amount: 150, description: "rental", item: { institutionId: "MAIN", barcode: "I2" }, title: "Dune", chargedAt: "2025-04-30T09:00:00.000Z", loanId: "loan-9", sourceId: "evt-checkout-9" });
    sameJson(record(decideChargeFee(rental, accountFrom(history), now.toISOString()).events), [GOLDEN.rental]);
    const staff = charge({ chargeId: "c-staff", feeType: "03", amount: 1500, description: "water damage", item: { institutionId: "", barcode: "I3" }, loanId: "", sourceId: "req-1" });
    sameJson(record(decideChargeFee(staff, accountFrom(history), now.toISOString()).events), [GOLDEN.staff]);
    const imported = charge({ chargeId: "c-imp", feeType: "02", amount: 500, description: "card", chargedAt: "2019-01-01T00:00:00.000Z", sourceId: "ext-1" });
    sameJson(record(decideChargeFee(imported, accountFrom(history), now.toISOString()).events), [GOLDEN.imported]);
  });

  it("stores payments with the terminal and device transaction when there are, at the decision's time", () => {
    const pay = { patron: P1, currency: "USD" };
    const balance = decidePayFee({ ...pay, paymentId: "r-1", amount: 600, feeType: "01", paymentType: "02", feeId: null, transactionId: "TX-9" }, accountFrom(history));
    sameJson(record(balance.events, { terminalAccount: "kiosk1" }), [GOLDEN.paid]);
    const one = decidePayFee({ ...pay, paymentId: "r-2", amount: 100, feeType: "", paymentType: "00", feeId: "c-staff", transactionId: null }, accountFrom(history));
    sameJson(record(one.events), [GOLDEN.paid2]);
  });

  it("stores a waiver in the account's currency, at the decision's time", () => {
    const waived = decideWaiveFee({ chargeId: "c-staff", patron: P1, reason: "goodwill", staff: "jdoe", amount: 400 }, accountFrom(history));
    sameJson(record(waived.events), [GOLDEN.waived]);
  });
});

let position = 0;
const recorded = (e: { type: string; data: unknown }, occurredAt = now): RecordedEvent<Event> =>
  ({
    type: e.type,
    data: stored(e.data),
    eventId: `e-${++position}`,
    streamId: "fee-MAIN-P1",
    streamPosition: position,
    globalPosition: BigInt(position),
    metadata: {},
    occurredAt,
    recordedAt: occurredAt,
  }) as RecordedEvent<Event>;
const foldStored = (events: readonly { type: string; data: unknown }[]) => events.map((e) => recorded(e)).reduce(evolveStored, initialAccount());

describe("the fold over stored events", () => {
  it("rebuilds the account the decider's events make", () => {
    const all = Object.values(GOLDEN);
    expect(foldStored(all)).toEqual(accountFrom(all.map((e) => fromStoredEvent("fee", stored(e))!)));
    const account = foldStored(all);
    expect(findCharge(account, "c-staff")).toMatchObject({ amount: 1500, outstanding: 1000, status: "outstanding", itemBarcode: "I3", title: null });
    expect(chargeForCheckin(account, "evt-checkin-1")?.chargeId).toBe("c-fine");
    expect(chargeForCheckin(account, "evt-checkout-9")).toBeUndefined();
    expect(account.payments.get("r-1")).toEqual({
      paymentId: "r-1",
      amount: 600,
      allocations: [
        { chargeId: "c-imp", amount: 500 },
        { chargeId: "c-fine2", amount: 25 },
        { chargeId: "c-fine", amount: 75 },
      ],
      balanceAfter: 1650,
    });
  });

  it("dates a charge stored without chargedAt at its recording, and reads an unknown fee type as 01", () => {
    const legacy = { type: "FeeCharged", data: { feeId: "old", feeType: "FEE_TYPE_SOMETHING_NEW", amount: { currency: "USD", amountMinor: 300 }, patron: P1 } };
    const at = new Date("2020-02-02T00:00:00.000Z");
    const account = [recorded(GOLDEN.rental), recorded(legacy, at)].reduce(evolveStored, initialAccount());
    expect(findCharge(account, "old")).toMatchObject({ feeType: "01", chargedAt: at.toISOString(), outstanding: 300 });
    expect(feeBalanceView(account).fineItems.map((f) => f.chargeId)).toEqual(["old", "c-rent"]);
  });

  it("skips events that are not fee events", () => {
    const other = recorded({ type: "ItemMarkedLost", data: { itemId: "i-1" } });
    const unknown = recorded({ type: "SomethingNew", data: {} });
    expect([recorded(GOLDEN.rental), other, unknown].reduce(evolveStored, initialAccount())).toEqual(foldStored([GOLDEN.rental]));
  });

  it("reads back what it stores", () => {
    const e = fromStoredEvent("fee", stored(GOLDEN.paid))!;
    sameJson(toStoredEvent(e).data, GOLDEN.paid.data);
    expect((e.data as { amount?: common.Money }).amount).toEqual({ currency: "USD", amountMinor: 600 });
  });
});
