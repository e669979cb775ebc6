import { commands, type fee, hold, type loan } from "@circulate/contracts";
import type { UsageFacts } from "../app/facts.js";

type Entry = commands.PatronListEntry;
const Summary = commands.PatronInformationSummary;

function loanEntry(l: loan.Loan): Entry {
  return commands.PatronListEntry.create({ item: l.item, title: l.title, dueAt: l.dueAt, createdAt: l.checkedOutAt });
}

function chargeEntry(c: fee.Charge): Entry {
  return commands.PatronListEntry.create({
    item: c.item,
    title: c.title,
    feeId: c.feeId,
    feeType: c.feeType,
    amount: c.outstanding,
    description: c.description,
    createdAt: c.chargedAt,
  });
}

function holdEntry(h: hold.Hold): Entry {
  const available = h.status === hold.HoldStatus.AVAILABLE || h.status === hold.HoldStatus.IN_TRANSIT;
  return commands.PatronListEntry.create({
    item: available ? (h.trappedItem ?? h.item) : h.item,
    title: h.title,
    titleId: h.titleId,
    createdAt: h.placedAt,
    holdId: h.holdId,
    pickupLocation: h.pickupLocation,
    // Available: the last day on the hold shelf; waiting: when the request lapses.
    expiresAt: available ? h.pickupBy : h.expiresAt,
    queuePosition: available ? 0 : h.queuePosition,
  });
}

const isAvailable = (h: hold.Hold) => h.status === hold.HoldStatus.AVAILABLE || h.status === hold.HoldStatus.IN_TRANSIT;
const isWaiting = (h: hold.Hold) => h.status === hold.HoldStatus.WAITING;

/**
 * The one list a 63 asked for, whole, in the peers' order (oldest first).
 * Hold items are the holds available to the patron (on the shelf or in
 * transit to it), unavailable holds those still waiting (proto/README.md,
 * "Hold counts"). Overdue = due before `now`, as the loan service counts.
 */
export function patronList(summary: commands.PatronInformationSummary, usage: UsageFacts, now: Date): Entry[] {
  const loans = usage.loans.loans;
  const holds = usage.holds?.holds ?? [];
  switch (summary) {
    case Summary.CHARGED_ITEMS:
      return loans.map(loanEntry);
    case Summary.OVERDUE_ITEMS:
      return loans.filter((l) => l.dueAt !== undefined && l.dueAt.getTime() < now.getTime()).map(loanEntry);
    case Summary.RECALL_ITEMS:
      return loans.filter((l) => l.recalled).map(loanEntry);
    case Summary.FINE_ITEMS:
    case Summary.FEES:
      return usage.account.charges.map(chargeEntry);
    case Summary.HOLD_ITEMS:
      return holds.filter(isAvailable).map(holdEntry);
    case Summary.UNAVAILABLE_HOLDS:
      return holds.filter(isWaiting).map(holdEntry);
    default:
      return [];
  }
}

/**
 * SIP2 start/end item (BP/BQ): 1-based, inclusive; 0 = from the first / to
 * the end. At most `max` entries whatever the range, so one 63 cannot ask for
 * a response no kiosk buffer holds.
 */
export function sliceList<T>(entries: readonly T[], startItem: number, endItem: number, max: number): T[] {
  const start = Math.max(1, startItem);
  const end = Math.min(endItem === 0 ? entries.length : endItem, entries.length, start + max - 1);
  return end < start ? [] : entries.slice(start - 1, end);
}
