import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { activeHoldOf, copyRef, type Hold, type HoldQueue, type HoldSuspension } from "./hold-queue.state.js";
import { dateOf, type Instant, isInstant } from "./instant.value.js";
import { checkExpiry, type HoldReply, replyFor } from "./place-hold.decider.js";

/**
 * Which hold a 15 `-` or `*` means. SIP2 names the patron and the title or item,
 * never a hold id; one active hold per patron per title makes that unambiguous.
 * `holdId` is for staff tools that know it.
 */
export interface HoldRef {
  readonly patronKey: string;
  /** The queue: the institution whose copies fill it, and the title. */
  readonly institution: string;
  readonly titleKey: string;
  readonly holdId: string | null;
}

function findHold(queue: HoldQueue, ref: HoldRef): Hold | undefined {
  const hold = activeHoldOf(queue, ref.patronKey);
  return hold && (ref.holdId === null || hold.holdId === ref.holdId) ? hold : undefined;
}

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
): Decision<DomainEventOf<"HoldChanged">, ChangeHoldRefusal, HoldReply> {
  const hold = findHold(queue, command);
  if (!hold) return refuse("hold_not_found", `${command.patronKey} on ${command.titleKey}`);
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

  const event = domainEvent("HoldChanged", {
    holdId: hold.holdId,
    pickupLocation,
    expiresAt: dateOf(expiresAt),
    patronId: hold.patronId,
    titleId: command.titleKey,
  });
  return accept([event], replyFor(queue, { ...hold, pickupLocation, expiresAt }, command.titleKey));
}

/** Not a SIP2 message: staff or the patron's OPAC pause a hold (holiday) without losing its place. */
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
