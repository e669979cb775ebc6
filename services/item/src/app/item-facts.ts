import { hold, type loan } from "@circulate/contracts";
import type { HoldFacts, ItemId, LoanFacts } from "../domain/index.js";

/**
 * The loan service's answer as the decider's LoanFacts. `Loan` says whether
 * it was recalled but not when: a recall shortens the due date, so the due
 * date is the best recall date the contract gives (SIP2 CJ).
 */
export function loanFacts(current: loan.Loan | undefined): LoanFacts {
  if (!current) return { onLoan: false };
  return { onLoan: true, dueDate: current.dueAt, recallDate: current.recalled ? current.dueAt : undefined };
}

function isThisCopy(ref: { institutionId: string; barcode: string } | undefined, item: ItemId): boolean {
  return ref !== undefined && ref.barcode === item.barcode && (ref.institutionId === "" || ref.institutionId === item.institution);
}

const OPEN: ReadonlySet<string> = new Set([hold.HoldStatus.WAITING, hold.HoldStatus.IN_TRANSIT, hold.HoldStatus.AVAILABLE]);

/**
 * The hold service's queue as the decider's HoldFacts: the queue length it
 * reports (else the open holds it lists), and whether the hold this copy is
 * trapped for waits on the shelf, with its last pickup day.
 */
export function holdFacts(queue: hold.GetQueueResponse, item: ItemId): HoldFacts {
  const trapped =
    queue.trappedHold ?? queue.holds.find((h) => h.status === hold.HoldStatus.AVAILABLE && isThisCopy(h.trappedItem, item));
  const waitingOnShelf = trapped?.status === hold.HoldStatus.AVAILABLE;
  return {
    queueLength: queue.queueLength || queue.holds.filter((h) => OPEN.has(h.status)).length,
    waitingOnShelf,
    pickupDate: waitingOnShelf ? trapped?.pickupBy : undefined,
  };
}
