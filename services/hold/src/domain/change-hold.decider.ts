import { accept, type Decision, refuse } from "@circulate/domain";
import type { HoldCancelled, HoldChanged, HoldEvent } from "./hold.events.js";
import { activeHoldOf, type Hold, type HoldQueue } from "./hold-queue.state.js";
import { type Instant, isInstant } from "./instant.value.js";
import { checkExpiry, type HoldReply, replyFor } from "./place-hold.decider.js";

/**
 * Which hold a 15 `-` or `*` means. SIP2 names the patron and the title or item,
 * never a hold id; one active hold per patron per title makes that unambiguous.
 * `holdId` is for staff tools that know it.
 */
export interface HoldRef {
  readonly patronId: string;
  readonly titleKey: string;
  readonly holdId: string | null;
}

function findHold(queue: HoldQueue, ref: HoldRef): Hold | undefined {
  const hold = activeHoldOf(queue, ref.patronId);
  return hold && (ref.holdId === null || hold.holdId === ref.holdId) ? hold : undefined;
}

/** 15 with hold mode `-`. */
export type CancelHold = HoldRef;

export type CancelHoldRefusal = "hold_not_found";

export interface HoldCancelResult {
  readonly holdId: string;
  readonly releasedItem: string | null;
}

export function decideCancelHold(command: CancelHold, queue: HoldQueue, now: Instant): Decision<HoldEvent, CancelHoldRefusal, HoldCancelResult> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronId} on ${command.titleKey}`);
  const releasedItem = hold.status === "waiting" ? null : hold.trap.itemBarcode;
  const event: HoldCancelled = {
    type: "HoldCancelled",
    holdId: hold.holdId,
    titleKey: command.titleKey,
    patronId: hold.patronId,
    cancelledAt: now,
    releasedItem,
  };
  return accept([event], { holdId: hold.holdId, releasedItem });
}

/** 15 with hold mode `*`: `null` fields stay as they are. */
export interface ChangeHold extends HoldRef {
  readonly pickupLocation: string | null;
  readonly expiresAt: Instant | null;
}

export interface ChangeHoldFacts {
  /** Valid pickup locations; `null` = any. */
  readonly pickupLocations: readonly string[] | null;
}

export type ChangeHoldRefusal = "hold_not_found" | "pickup_location_invalid" | "hold_already_trapped" | "dates_invalid" | "expiry_in_past";

export function decideChangeHold(
  command: ChangeHold,
  queue: HoldQueue,
  facts: ChangeHoldFacts,
  now: Instant,
): Decision<HoldEvent, ChangeHoldRefusal, HoldReply> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronId} on ${command.titleKey}`);
  const pickupLocation = command.pickupLocation ?? hold.pickupLocation;
  const expiresAt = command.expiresAt ?? hold.expiresAt;

  if (pickupLocation !== hold.pickupLocation) {
    if (facts.pickupLocations !== null && !facts.pickupLocations.includes(pickupLocation))
      return refuse("pickup_location_invalid", pickupLocation);
    // The copy is already on its way to, or on the shelf of, the old pickup location.
    if (hold.status !== "waiting") return refuse("hold_already_trapped", `${hold.holdId} holds ${hold.trap.itemBarcode}`);
  }
  if (expiresAt !== hold.expiresAt) {
    const expiry = checkExpiry(expiresAt, now);
    if (expiry) return expiry;
  }
  if (pickupLocation === hold.pickupLocation && expiresAt === hold.expiresAt) return accept([], replyFor(queue, hold, command.titleKey));

  const event: HoldChanged = {
    type: "HoldChanged",
    holdId: hold.holdId,
    titleKey: command.titleKey,
    patronId: hold.patronId,
    pickupLocation,
    expiresAt,
    changedAt: now,
  };
  return accept([event], replyFor(queue, { ...hold, pickupLocation, expiresAt }, command.titleKey));
}

/** Not a SIP2 message: staff or the patron's OPAC pause a hold (holiday) without losing its place. */
export interface SuspendHold extends HoldRef {
  /** `null` = until resumed. */
  readonly until: Instant | null;
}

export type SuspendHoldRefusal = "hold_not_found" | "hold_already_trapped" | "dates_invalid";

export function decideSuspendHold(command: SuspendHold, queue: HoldQueue, now: Instant): Decision<HoldEvent, SuspendHoldRefusal> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronId} on ${command.titleKey}`);
  // A trapped copy is already set aside; suspending would strand it on the shelf.
  if (hold.status !== "waiting") return refuse("hold_already_trapped", hold.holdId);
  if (command.until !== null && !isInstant(command.until)) return refuse("dates_invalid", `until ${command.until}`);
  const base = { holdId: hold.holdId, titleKey: command.titleKey, patronId: hold.patronId };
  return accept([{ type: "HoldSuspended", ...base, until: command.until, suspendedAt: now }]);
}

export type ResumeHold = HoldRef;

export function decideResumeHold(command: ResumeHold, queue: HoldQueue, now: Instant): Decision<HoldEvent, "hold_not_found"> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronId} on ${command.titleKey}`);
  if (hold.suspended === null) return accept([]);
  return accept([{ type: "HoldResumed", holdId: hold.holdId, titleKey: command.titleKey, patronId: hold.patronId, resumedAt: now }]);
}
