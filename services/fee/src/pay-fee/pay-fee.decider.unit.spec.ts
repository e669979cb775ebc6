import { common, type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { accountFrom, findCharge } from "../domain/index.js";
import { decidePayFee, type PayFee, payerRefusal } from "./pay-fee.decider.js";

type FeeEvent = DomainEvent<"fee">;

const P1 = { institutionId: "MAIN", barcode: "P1" };
const usd = (amountMinor: number): common.Money => ({ currency: "USD", amountMinor });
const charge = (chargeId: string, amount: number, chargedAt: string) =>
  domainEvent("FeeCharged", {
    feeId: chargeId,
    feeType: common.FeeType.OVERDUE,
    amount: usd(amount),
    description: "overdue",
    item: { institutionId: "MAIN", barcode: `item-${chargeId}` },
    patron: P1,
    chargedAt: new Date(chargedAt),
    balanceAfter: usd(0), // not read by evolve
  });
// Stream order differs from age: "old" was imported after "mid" was charged.
const mid = charge("mid", 300, "2025-02-01T00:00:00Z");
const old = charge("old", 200, "2024-12-01T00:00:00Z");
const recent = charge("recent", 500, "2025-04-01T00:00:00Z");

const payment: PayFee = {
  paymentId: "r-1",
  patron: P1,
  amount: 100,
  feeType: "01",
  paymentType: "01",
  currency: "USD",
  feeId: null,
  transactionId: "TX-77",
};
const given = (...events: FeeEvent[]) => accountFrom(events);
const when = (command: Partial<PayFee>, ...history: FeeEvent[]) => decidePayFee({ ...payment, ...command }, given(...history));

describe("who may pay (37)", () => {
  const known = { found: true, pinGiven: false, pinLocked: false, pinValid: undefined };

  it("lets any known patron pay, refuses an unknown one, and checks a PIN only when one is given", () => {
    expect(payerRefusal(P1, known)).toBeNull();
    expect(payerRefusal(P1, { ...known, pinLocked: true, pinValid: false })).toBeNull();
    expect(payerRefusal(P1, { ...known, found: false })).toMatchObject({ reason: "patron_not_found", detail: "no patron P1 in MAIN" });
    expect(payerRefusal(P1, { ...known, pinGiven: true, pinValid: true })).toBeNull();
    expect(payerRefusal(P1, { ...known, pinGiven: true, pinLocked: true, pinValid: false })).toMatchObject({ reason: "pin_locked" });
    expect(payerRefusal(P1, { ...known, pinGiven: true, pinValid: false })).toMatchObject({ reason: "pin_invalid" });
  });
});

describe("PayFee (37)", () => {
  it("allocates a balance payment to the oldest charge first, across charges", () => {
    const d = when({ amount: 600 }, mid, old, recent);
    expect(d.outcome === "accepted" && d.data).toEqual({
      paymentId: "r-1",
      amount: 600,
      allocations: [
        { chargeId: "old", amount: 200 },
        { chargeId: "mid", amount: 300 },
        { chargeId: "recent", amount: 100 },
      ],
      balanceAfter: 400,
    });
  });

  it("leaves the rest outstanding after a partial payment", () => {
    const d = when({ amount: 150 }, mid, old);
    const after = given(mid, old, ...d.events);
    expect(findCharge(after, "old")).toMatchObject({ outstanding: 50, status: "outstanding" });
    expect(findCharge(after, "mid")).toMatchObject({ outstanding: 300, status: "outstanding" });
    expect(d.events[0]).toMatchObject({ data: { balanceAfter: usd(350) } });
  });

  it("marks a charge paid when its outstanding amount reaches zero", () => {
    const d = when({ amount: 200 }, mid, old);
    expect(findCharge(given(mid, old, ...d.events), "old")).toMatchObject({ outstanding: 0, status: "paid" });
  });

  it("pays the charge named by the fee identifier, whatever its age", () => {
    const d = when({ feeId: "recent", amount: 250 }, old, recent);
    expect(d.events[0]).toMatchObject({ data: { allocations: [{ feeId: "recent", amount: usd(250) }], balanceAfter: usd(450) } });
  });

  it("records the payment type, currency, fee type, device transaction id and receipt id", () => {
    const d = when({ paymentType: "02", feeType: "04", transactionId: "TX-9" }, old);
    expect(d.events).toEqual([
      domainEvent("FeePaid", {
        paymentId: "r-1",
        amount: usd(100),
        paymentType: common.PaymentType.CREDIT_CARD,
        transactionId: "TX-9",
        allocations: [{ feeId: "old", amount: usd(100) }],
        patron: P1,
        feeType: common.FeeType.OVERDUE,
        balanceAfter: usd(100),
      }),
    ]);
  });

  it("refuses an overpayment of the balance", () => {
    expect(when({ amount: 501 }, mid, old)).toMatchObject({ outcome: "refused", reason: "overpayment", events: [] });
  });

  it("refuses an overpayment of a specific charge even when the balance would cover it", () => {
    expect(when({ feeId: "old", amount: 201 }, mid, old)).toMatchObject({ outcome: "refused", reason: "overpayment" });
  });

  it("refuses an unknown fee identifier", () => {
    expect(when({ feeId: "nope" }, old)).toMatchObject({ outcome: "refused", reason: "fee_not_found" });
  });

  it("refuses to pay a charge already paid or waived", () => {
    const paid = when({ feeId: "old", amount: 200 }, old).events;
    expect(when({ paymentId: "r-2", feeId: "old" }, old, ...paid)).toMatchObject({ reason: "fee_already_paid" });
    const waived = domainEvent("FeeWaived", { feeId: "mid", amount: usd(300), reason: "x", patron: P1, balanceAfter: usd(0) });
    expect(when({ feeId: "mid" }, mid, waived)).toMatchObject({ reason: "fee_already_paid" });
  });

  it("refuses a payment in another currency than the account's", () => {
    expect(when({ currency: "EUR" }, old)).toMatchObject({ outcome: "refused", reason: "currency_mismatch" });
    expect(when({ currency: "us$" }, old)).toMatchObject({ outcome: "refused", reason: "currency_mismatch" });
  });

  it("refuses zero, negative and fractional amounts", () => {
    for (const amount of [0, -100, 12.5]) expect(when({ amount }, old)).toMatchObject({ reason: "amount_invalid" });
  });

  it("refuses a payment type outside the SIP2 table", () => {
    expect(when({ paymentType: "05" }, old)).toMatchObject({ reason: "payment_type_unknown" });
  });

  it("refuses a balance payment when nothing is owed", () => {
    expect(when({})).toMatchObject({ reason: "nothing_owed" });
    const settled = when({ amount: 200 }, old).events;
    expect(when({ paymentId: "r-2" }, old, ...settled)).toMatchObject({ reason: "nothing_owed" });
  });

  it("answers a redelivered payment with its first receipt and records nothing", () => {
    const first = when({ amount: 150 }, old);
    const again = when({ amount: 150 }, old, ...first.events);
    expect(again).toEqual({
      outcome: "accepted",
      events: [],
      data: { paymentId: "r-1", amount: 150, allocations: [{ chargeId: "old", amount: 150 }], balanceAfter: 50 },
    });
  });
});
