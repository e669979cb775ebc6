import { describe, expect, it } from "vitest";
import type { FeeCharged, FeeEvent } from "./fee.events.js";
import { accountFrom } from "./fee-account.state.js";
import { feeBalanceView } from "./fee-balance.view.js";

const charge = (chargeId: string, amount: number, chargedAt: string, title: string | null): FeeCharged => ({
  type: "FeeCharged",
  patronBarcode: "P1",
  chargeId,
  feeType: chargeId === "lost" ? "07" : "04",
  amount,
  currency: "USD",
  description: chargeId,
  itemBarcode: title ? `bc-${chargeId}` : null,
  title,
  chargedAt,
  source: null,
  balanceAfter: 0,
});

describe("fee balance view for 63/64", () => {
  it("totals what is owed and lists outstanding charges oldest first with item and title", () => {
    const events: FeeEvent[] = [
      charge("late", 75, "2025-03-01T00:00:00Z", "Emma"),
      charge("lost", 2000, "2025-01-01T00:00:00Z", "Ulysses"),
      charge("paid", 50, "2024-01-01T00:00:00Z", null),
      {
        type: "FeePaid",
        patronBarcode: "P1",
        paymentId: "r",
        amount: 75,
        currency: "USD",
        allocations: [
          { chargeId: "paid", amount: 50 },
          { chargeId: "lost", amount: 25 },
        ],
        feeType: "01",
        paymentType: "00",
        transactionId: null,
        paidAt: "2025-04-01T00:00:00Z",
        balanceAfter: 2050,
      },
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
        chargedAt: "2025-01-01T00:00:00Z",
      },
      {
        chargeId: "late",
        feeType: "04",
        amount: 75,
        originalAmount: 75,
        itemBarcode: "bc-late",
        title: "Emma",
        description: "late",
        chargedAt: "2025-03-01T00:00:00Z",
      },
    ]);
  });

  it("shows an account that never had a charge as owing nothing, in no currency yet", () => {
    expect(feeBalanceView(accountFrom([]))).toEqual({ currency: null, totalOutstanding: 0, fineItems: [], fineItemsCount: 0 });
  });
});
