import { loan } from "@circulate/contracts";

/**
 * The item's loan after a checkout or an import, as the loan service's events
 * carry it (`current`): a renewal's is this with the new due date and count;
 * after a check-in there is none. `overdue` stays false: readers count it.
 */
export function loanAfterCheckout(
  e: Partial<Pick<loan.ItemCheckedOut, "loanId" | "itemId" | "item" | "patronId" | "patron" | "title" | "titleId" | "checkedOutAt" | "dueAt" | "terminalAccount" | "offline" | "terms">>,
  renewalCount = 0,
): loan.Loan {
  return loan.Loan.fromPartial({
    loanId: e.loanId,
    itemId: e.itemId,
    item: e.item,
    patronId: e.patronId,
    patron: e.patron,
    title: e.title,
    titleId: e.titleId,
    checkedOutAt: e.checkedOutAt,
    dueAt: e.dueAt,
    renewalCount,
    offline: e.offline,
    terminalAccount: e.terminalAccount,
    renewalsRemaining: e.terms?.renewalLimit,
  });
}
