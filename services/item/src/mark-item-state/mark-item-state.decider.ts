import { domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import type { ItemId } from "../domain/item.record.js";
import type { ItemEvent, ItemState, ItemStatus } from "../domain/item.state.js";
import { type TransitionRefusal, transitionRefusal } from "../domain/item-transitions.js";

/** Loan service: the item was checked out (ItemCheckedOut), renewals excluded. */
export interface MarkOnLoan {
  readonly type: "MarkOnLoan";
  readonly item: ItemId;
  /** The loan that lent it, when known. */
  readonly loanId?: string;
}

/** Staff: not on the shelf where it should be (inventory). */
export interface MarkMissing {
  readonly type: "MarkMissing";
  readonly item: ItemId;
}

/** Loan service (long overdue) or staff. */
export interface MarkLost {
  readonly type: "MarkLost";
  readonly item: ItemId;
}

/** Loan service or staff: the patron says it was returned; the loan stays open while that is checked. */
export interface MarkClaimedReturned {
  readonly type: "MarkClaimedReturned";
  readonly item: ItemId;
}

/** Staff: cataloguing, repair, binding. */
export interface MarkInProcess {
  readonly type: "MarkInProcess";
  readonly item: ItemId;
}

/** Staff: back on the shelf where it is (found, processed, transfer or hold cancelled). */
export interface MarkAvailable {
  readonly type: "MarkAvailable";
  readonly item: ItemId;
}

export type MarkItemState = MarkOnLoan | MarkMissing | MarkLost | MarkClaimedReturned | MarkInProcess | MarkAvailable;

// One table instead of six deciders: the commands differ only in target state and event.
const TARGET = {
  MarkOnLoan: { to: "on_loan", event: "ItemMarkedOnLoan" },
  MarkMissing: { to: "missing", event: "ItemMarkedMissing" },
  MarkLost: { to: "lost", event: "ItemMarkedLost" },
  MarkClaimedReturned: { to: "claimed_returned", event: "ItemClaimedReturned" },
  MarkInProcess: { to: "in_process", event: "ItemMarkedInProcess" },
  MarkAvailable: { to: "available", event: "ItemMarkedAvailable" },
} as const satisfies Record<MarkItemState["type"], { to: ItemStatus; event: ItemEvent["type"] }>;

/**
 * Moves the item to the command's state when ENTERABLE_FROM allows it.
 * Already there: accepted with no event (these commands are redelivered).
 */
export function decideMarkItemState(command: MarkItemState, state: ItemState): Decision<ItemEvent, TransitionRefusal> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const { to, event } = TARGET[command.type];
  const from = state.circulation.state;
  const refusal = transitionRefusal(from, to);
  if (refusal) return refuse(refusal, `${command.type}: item is ${from}`);
  if (from === to) return accept([]);
  return accept([domainEvent(event, command.type === "MarkOnLoan" ? { loanId: command.loanId ?? "" } : {})]);
}
