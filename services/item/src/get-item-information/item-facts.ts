import type { ItemLoanRow } from "../adapters/db.js";
import type { StoredPeerFacts } from "../adapters/peer-facts.repository.js";
import type { RegisteredItem } from "../domain/index.js";
import type { HoldFacts, LoanFacts } from "./circulation-status.js";

/**
 * The loan as the decider's LoanFacts. A recall shortens the due date and the
 * loan says whether it was recalled but not when, so the due date is the best
 * recall date there is (SIP2 CJ).
 */
export function loanFacts(loan: ItemLoanRow | undefined): LoanFacts {
  if (!loan) return { onLoan: false };
  const due = loan.due_at ?? undefined;
  return { onLoan: true, dueDate: due, recallDate: loan.recalled ? due : undefined };
}

/**
 * The copy's hold queue as the decider's HoldFacts: the active holds of its
 * title's queue, and whether the hold it is trapped for waits on the shelf,
 * with its last pickup day.
 */
export function holdFacts(facts: Pick<StoredPeerFacts, "queueLength" | "trappedHold">): HoldFacts {
  const waitingOnShelf = facts.trappedHold?.status === "available";
  return {
    queueLength: facts.queueLength,
    waitingOnShelf,
    pickupDate: waitingOnShelf ? (facts.trappedHold?.pickup_by ?? undefined) : undefined,
  };
}

/**
 * The hold queue a copy can fill: its own institution's queue for its title;
 * a copy without a title id is its own one-copy title, `item:<item id>`, as
 * the hold service keys it.
 */
export function holdQueueOf(itemId: string, item: RegisteredItem): { institution: string; titleId: string } {
  return { institution: item.id.institution, titleId: item.record.titleId || `item:${itemId}` };
}
