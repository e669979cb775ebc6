import { describe, expect, it } from "vitest";
import { itemRef, patronRef, TERMS } from "./loan.fixtures.js";
import type { Loan } from "./loan.state.js";
import { loanSummary } from "./loan-summary.js";

const loan = (itemBarcode: string, dueAt: string): Loan => ({
  loanId: `loan-${itemBarcode}`,
  itemId: `item-${itemBarcode}`,
  item: itemRef(itemBarcode),
  title: "",
  titleId: "",
  patronId: "p-ann",
  patron: patronRef(),
  loanedAt: new Date("2025-03-01T09:00:00.000Z"),
  dueAt: new Date(dueAt),
  renewals: 0,
  terms: TERMS,
  offline: false,
  terminalAccount: "kiosk-1",
});

const NOW = new Date("2025-03-12T10:00:00.000Z");

describe("loan summary (patron information)", () => {
  it("counts charged and overdue items and lists them, soonest due first", () => {
    const loans = [
      loan("C", "2025-03-20T22:59:59.000Z"),
      loan("A", "2025-03-05T22:59:59.000Z"),
      loan("B", "2025-03-11T22:59:59.000Z"),
    ];
    expect(loanSummary(loans, NOW)).toEqual({ chargedCount: 3, overdueCount: 2, charged: ["A", "B", "C"], overdue: ["A", "B"] });
  });

  it("an item due this very instant is not yet overdue", () => {
    expect(loanSummary([loan("A", NOW.toISOString())], NOW).overdueCount).toBe(0);
  });

  it("orders items due at the same time by barcode, so paging is stable", () => {
    const due = "2025-03-20T22:59:59.000Z";
    expect(loanSummary([loan("B", due), loan("A", due)], NOW).charged).toEqual(["A", "B"]);
  });

  it("no loans, nothing charged", () => {
    expect(loanSummary([], NOW)).toEqual({ chargedCount: 0, overdueCount: 0, charged: [], overdue: [] });
  });
});
