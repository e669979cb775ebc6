import type { Loan } from "./loan.state.js";

/** A patron's loans as SIP2 63 Patron Information reports them (counts and item lists). */
export interface LoanSummary {
  readonly chargedCount: number;
  readonly overdueCount: number;
  /** Item barcodes of every charged item, soonest due first. */
  readonly charged: readonly string[];
  /** Item barcodes of the overdue ones, most overdue first. */
  readonly overdue: readonly string[];
}

/**
 * Summarises a patron's current loans. A loan is overdue once `now` is past
 * its due instant (grace days are about fines, not about being overdue). Ties
 * in due date are ordered by barcode so that BP/BQ paging is stable.
 */
export function loanSummary(loans: readonly Loan[], now: Date): LoanSummary {
  const barcode = (l: Loan) => l.item.barcode;
  const sorted = [...loans].sort(
    (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (barcode(a) < barcode(b) ? -1 : barcode(a) > barcode(b) ? 1 : 0),
  );
  const overdue = sorted.filter((l) => l.dueAt.getTime() < now.getTime());
  return {
    chargedCount: sorted.length,
    overdueCount: overdue.length,
    charged: sorted.map(barcode),
    overdue: overdue.map(barcode),
  };
}
