import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { checkExpiry, dateOf, findHold, type HoldQueue, type HoldRef, type HoldReply, type Instant, replyFor } from "../domain/index.js";

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
