import { common, type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { accountFrom } from "./fee-account.state.js";
import { feeBalanceView } from "./fee-balance.view.js";

const P1 = { institutionId: "MAIN", barcode: "P1" };
const usd = (amountMinor: number): common.Money => ({ currency: "USD", amountMinor });
const charge = (chargeId: string, amount: number, chargedAt: string, title: string | null) =>
  domainEvent("FeeCharged", {
    feeId: chargeId,
    feeType: chargeId === "lost" ? common.FeeType.REPLACEMENT : common.FeeType.OVERDUE,
    amount: usd(amount),
    description: chargeId,
    item: title ? { institutionId: "MAIN", barcode: `bc-${chargeId}` } : undefined,
    title: title ?? "",
    patron: P1,
    chargedAt: new Date(chargedAt),
    balanceAfter: usd(0),
  });

describe("fee balance view for 63/64", () => {
  it("totals what is owed and lists outstanding charges oldest first with item and title", () => {
    const events: DomainEvent<"fee">[] = [
      charge("late", 75, "2025-03-01T00:00:00Z", "Emma"),
      charge("lost", 2000, "2025-01-01T00:00:00Z", "Ulysses"),
      charge("paid", 50, "2024-01-01T00:00:00Z", null),
      domainEvent("FeePaid", {
        paymentId: "r",
        amount: usd(75),
        paymentType: common.PaymentType.CASH,
        allocations: [
          { feeId: "paid", amount: usd(50) },
          { feeId: "lost", amount: usd(25) },
        ],
        patron: P1,
        feeType: common.FeeType.OTHER,
        balanceAfter: usd(2050),
      }),
    ];
    const view = feeBalanceView(accountFrom(events));
    expect(view.currency).toBe("USD");
    expect(view.totalOutstanding).toBe(2050);
    expect(view.fineItemsCount).toBe(2);
    expect(view.fineItems).toEqual([
      {
        chargeId: "lost",
        feeType: "07",
        amount: 1975,
        originalAmount: 2000,
        itemBarcode: "bc-lost",
        title: "Ulysses",
        description: "lost",
        chargedAt: "2025-01-01T00:00:00.000Z",
      },
      {
        chargeId: "late",
        feeType: "04",
        amount: 75,
        originalAmount: 75,
        itemBarcode: "bc-late",
        title: "Emma",
        description: "late",
        chargedAt: "2025-03-01T00:00:00.000Z",
      },
    ]);
  });

  it("shows an account that never had a charge as owing nothing, in no currency yet", () => {
    expect(feeBalanceView(accountFrom([]))).toEqual({ currency: null, totalOutstanding: 0, fineItems: [], fineItemsCount: 0 });
  });
});
