import { accept, type Decision, refuse } from "@circulate/domain";
import { dateOf, findHold, type HoldQueue, type HoldRef, type HoldSuspension, type Instant, isInstant } from "../domain/index.js";

/**
 * Not a SIP2 message: staff or the patron's OPAC pause a hold (holiday) without
 * losing its place. No command or RPC reaches these deciders yet.
 */
export interface SuspendHold extends HoldRef {
  /** `null` = until resumed. */
  readonly until: Instant | null;
}

export type SuspendHoldRefusal = "hold_not_found" | "hold_already_trapped" | "dates_invalid";

export function decideSuspendHold(command: SuspendHold, queue: HoldQueue): Decision<HoldSuspension, SuspendHoldRefusal> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronKey} on ${command.titleKey}`);
  // A trapped copy is already set aside; suspending would strand it on the shelf.
  if (hold.status !== "waiting") return refuse("hold_already_trapped", hold.holdId);
  if (command.until !== null && !isInstant(command.until)) return refuse("dates_invalid", `until ${command.until}`);
  return accept([{ type: "HoldSuspended", data: { holdId: hold.holdId, until: dateOf(command.until) } }]);
}

export type ResumeHold = HoldRef;

export function decideResumeHold(command: ResumeHold, queue: HoldQueue): Decision<HoldSuspension, "hold_not_found"> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronKey} on ${command.titleKey}`);
  if (hold.suspended === null) return accept([]);
  return accept([{ type: "HoldResumed", data: { holdId: hold.holdId } }]);
}
