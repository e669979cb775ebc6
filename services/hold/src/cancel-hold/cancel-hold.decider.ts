import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { copyRef, findHold, type HoldQueue, type HoldRef } from "../domain/index.js";

/** 15 with hold mode `-`. */
export type CancelHold = HoldRef;

export type CancelHoldRefusal = "hold_not_found";

export interface HoldCancelResult {
  readonly holdId: string;
  readonly releasedItem: string | null;
}

/** The reason given and the terminal are the app's to add to the event. */
export function decideCancelHold(command: CancelHold, queue: HoldQueue): Decision<DomainEventOf<"HoldCancelled">, CancelHoldRefusal, HoldCancelResult> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronKey} on ${command.titleKey}`);
  const releasedItem = hold.status === "waiting" ? null : hold.trap.itemBarcode;
  const event = domainEvent("HoldCancelled", {
    holdId: hold.holdId,
    patronId: hold.patronId,
    titleId: command.titleKey,
    releasedItem: copyRef(command.institution, releasedItem),
  });
  return accept([event], { holdId: hold.holdId, releasedItem });
}

/** Staff cancel a hold they know by id, through the admin API. */
export interface StaffCancelHold {
  readonly hold: HoldRef & { readonly holdId: string };
  /** Who (staff name or login): recorded, so a cancelled hold can be traced to a person. */
  readonly staff: string;
  /** Why; recorded as the event's reason. */
  readonly reason: string;
}

export type StaffCancelHoldRefusal = CancelHoldRefusal | "staff_required" | "reason_required" | "hold_closed";

/** How the hold ended, when it has; `null` while it is active (or unknown to the queue). */
export type ClosedAs = "fulfilled" | "cancelled" | "expired" | null;

/**
 * The rule of 15 `-` (decideCancelHold), with who and why in the event instead
 * of a terminal. A hold already cancelled is answered as done with nothing
 * recorded (a retried call); one that was fulfilled or expired is refused.
 */
export function decideStaffCancelHold(
  command: StaffCancelHold,
  queue: HoldQueue,
  closedAs: ClosedAs,
): Decision<DomainEventOf<"HoldCancelled">, StaffCancelHoldRefusal, HoldCancelResult> {
  const staff = command.staff.trim();
  const reason = command.reason.trim();
  if (staff === "") return refuse("staff_required", "say who cancels the hold");
  if (reason === "") return refuse("reason_required", "say why");
  if (closedAs === "cancelled") return accept([], { holdId: command.hold.holdId, releasedItem: null });
  if (closedAs !== null) return refuse("hold_closed", `hold ${command.hold.holdId} is ${closedAs}`);
  const d = decideCancelHold(command.hold, queue);
  if (d.outcome === "refused") return d;
  return accept(
    d.events.map((e) => ({ ...e, data: { ...e.data, reason, staff, terminalAccount: "" } })),
    d.data,
  );
}
