import { type common, type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { decideAssessOverdueFine } from "../assess-overdue-fine/assess-overdue-fine.decider.js";
import { type ChargeFee, decideChargeFee } from "../charge-fee/charge-fee.decider.js";
import { accountFrom, chargeForCheckin, findCharge } from "../domain/index.js";
import { decidePayFee } from "../pay-fee/pay-fee.decider.js";
import { decideWaiveFee } from "./waive-fee.decider.js";

type FeeEvent = DomainEvent<"fee">;

const now = "2025-05-01T12:00:00Z";
const P1 = { institutionId: "MAIN", barcode: "P1" };
const usd = (amountMinor: number): common.Money => ({ currency: "USD", amountMinor });
const damage: ChargeFee = {
  chargeId: "c-1",
  patron: P1,
  feeType: "03",
  amount: 1500,
  currency: "USD",
  description: "water damage",
  item: { institutionId: "", barcode: "I1" },
  title: "Moby Dick",
  chargedAt: null,
};
const given = (...events: FeeEvent[]) => accountFrom(events);

describe("WaiveFee", () => {
  const chargedEvents = decideChargeFee(damage, given(), now).events;
  const pay = (amount: number, feeId: string | null) =>
    decidePayFee(
      { paymentId: `r-${amount}`, patron: P1, amount, feeType: "01", paymentType: "00", currency: "USD", feeId, transactionId: null },
      given(...chargedEvents),
    ).events;

  it("forgives what is still owed on a charge, keeping what was paid", () => {
    const history = [...chargedEvents, ...pay(500, "c-1")];
    const d = decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "goodwill", staff: "jdoe" }, given(...history));
    expect(d.events).toEqual([domainEvent("FeeWaived", { feeId: "c-1", amount: usd(1000), reason: "goodwill", staff: "jdoe", patron: P1, balanceAfter: usd(0) })]);
    expect(findCharge(given(...history, ...d.events), "c-1")).toMatchObject({ status: "waived", outstanding: 0, amount: 1500 });
  });

  it("records who forgave it, without surrounding blanks; the service's own waiver names no one", () => {
    const byStaff = decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "goodwill", staff: "  jdoe " }, given(...chargedEvents));
    expect(byStaff.events[0]).toMatchObject({ type: "FeeWaived", data: { staff: "jdoe" } });
    const bySystem = decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "checkin cancelled", staff: "" }, given(...chargedEvents));
    expect(bySystem.events[0]).toMatchObject({ type: "FeeWaived", data: { staff: "" } });
  });

  it("refuses an unknown charge and a charge already paid", () => {
    const waive = (chargeId: string, history: readonly FeeEvent[]) => decideWaiveFee({ chargeId, patron: P1, reason: "x", staff: "jdoe" }, given(...history));
    expect(waive("nope", chargedEvents)).toMatchObject({ reason: "fee_not_found" });
    expect(waive("c-1", [...chargedEvents, ...pay(1500, null)])).toMatchObject({ reason: "fee_already_paid" });
  });

  it("waives the fine of a cancelled checkin, found by the checkin's id", () => {
    const fine = decideAssessOverdueFine(
      {
        chargeId: "c-9",
        loanId: "L",
        checkinId: "evt-9",
        patron: P1,
        item: { institutionId: "MAIN", barcode: "I1" },
        title: null,
        dueAt: "2025-04-01T23:59:59Z",
        returnedAt: "2025-04-03T10:00:00Z",
        policy: { finePerDay: 10, maxFine: null, graceDays: 0 },
        currency: "USD",
        tz: "UTC",
      },
      given(),
      now,
    );
    const state = given(...fine.events);
    const charge = chargeForCheckin(state, "evt-9");
    expect(charge?.chargeId).toBe("c-9");
    const waived = decideWaiveFee({ chargeId: charge!.chargeId, patron: P1, reason: "checkin cancelled", staff: "" }, state);
    expect(waived.events[0]).toMatchObject({ data: { amount: usd(20), balanceAfter: usd(0) } });
    expect(decideWaiveFee({ chargeId: "c-9", patron: P1, reason: "again", staff: "jdoe" }, given(...fine.events, ...waived.events))).toEqual({
      outcome: "accepted",
      events: [],
      data: { chargeId: "c-9", waived: 0, balance: 0 },
    });
  });
});

describe("WaiveFee, partial", () => {
  const chargedEvents = decideChargeFee(damage, given(), now).events;

  it("forgives part of a charge and leaves the rest outstanding", () => {
    const d = decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "goodwill", staff: "jdoe", amount: 500 }, given(...chargedEvents));
    expect(d.events[0]).toMatchObject({ type: "FeeWaived", data: { amount: usd(500), balanceAfter: usd(1000) } });
    expect(findCharge(given(...chargedEvents, ...d.events), "c-1")).toMatchObject({ status: "outstanding", outstanding: 1000 });
  });

  it("marks the charge waived once the rest is forgiven too", () => {
    const first = decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "a", staff: "jdoe", amount: 500 }, given(...chargedEvents)).events;
    const rest = decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "b", staff: "jdoe" }, given(...chargedEvents, ...first));
    expect(rest.events[0]).toMatchObject({ data: { amount: usd(1000), balanceAfter: usd(0) } });
    expect(findCharge(given(...chargedEvents, ...first, ...rest.events), "c-1")).toMatchObject({ status: "waived", outstanding: 0 });
  });

  it("refuses to forgive more than is outstanding, or nothing", () => {
    const waive = (amount: number) => decideWaiveFee({ chargeId: "c-1", patron: P1, reason: "x", staff: "jdoe", amount }, given(...chargedEvents));
    expect(waive(1501)).toMatchObject({ outcome: "refused", reason: "amount_invalid" });
    expect(waive(0)).toMatchObject({ outcome: "refused", reason: "amount_invalid" });
  });
});
