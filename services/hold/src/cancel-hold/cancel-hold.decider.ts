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
