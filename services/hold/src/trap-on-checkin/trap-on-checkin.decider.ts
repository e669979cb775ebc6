import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { type Accepted, accept, type Decision } from "@circulate/domain";
import { AlertType, type AlertTypeCode } from "../domain/index.js";
import { canTrap, type CopyRef, copyRef, type Hold, type HoldQueue, holdTrappingItem, type TrapDisposition, type TrappedHold } from "../domain/index.js";
import { dateOf, type Instant } from "../domain/index.js";

/**
 * What a trap records: `HoldTrapped` (the copy set aside, in transit or not),
 * then `HoldShelved` once it is on the hold shelf of its pickup location. The
 * copy's id and the check-in are the app's to add.
 */
export type TrapEvent = DomainEventOf<"HoldTrapped"> | DomainEventOf<"HoldShelved">;

/**
 * A checkin (09) of a copy of this title. The decision appends to the title's
 * queue stream, so two checkins trapping for the same queue at once conflict
 * and the second is decided again.
 */
export interface TrapOnCheckin extends CopyRef {
  /** The queue: the institution whose copies fill it, and the title. */
  readonly institution: string;
  readonly titleKey: string;
  /** Branch where the copy was checked in (`AP`, else the terminal's branch). */
  readonly checkinLocation: string;
}

export interface TrapFacts {
  /** When a copy put on the shelf now stops waiting (pickup days, closed days: the app's calendar). */
  readonly shelfExpiresAt: Instant | null;
  /** Names for `DA`, looked up by the app for the patrons at the head of the queue. */
  readonly patronNames?: Readonly<Record<string, string>>;
}

/** What the checkin response needs: alert, `CV`, `CT`, `CY`, `DA`. */
export type TrapResult =
  | { readonly trapped: false }
  | {
      readonly trapped: true;
      /** False when the copy had been trapped by an earlier checkin (e.g. it arrived from transit). */
      readonly newlyTrapped: boolean;
      readonly holdId: string;
      readonly disposition: TrapDisposition;
      /** 01 hold for this library, 02 hold for another branch. */
      readonly alertType: AlertTypeCode;
      /** The pickup location (`CT`). */
      readonly destination: string;
      readonly holdPatronId: string;
      readonly holdPatronName: string | null;
    };

/**
 * The first hold in queue order that may take this copy traps it: waiting, not
 * expired, not suspended, and either on the title, on this very copy, or (type 4)
 * on a copy of its pickup branch. Item-level and title-level holds share one order:
 * a copy-specific hold does not jump ahead of older title holds (see README).
 */
export function decideTrapOnCheckin(command: TrapOnCheckin, queue: HoldQueue, facts: TrapFacts, now: Instant): Decision<TrapEvent, never, TrapResult> {
  const here = (hold: { readonly pickupLocation: string }): TrapDisposition => (hold.pickupLocation === command.checkinLocation ? "on_shelf" : "in_transit");

  const already = holdTrappingItem(queue, command.itemBarcode);
  if (already) return keepTrap(already, here(already), command, facts);

  const hold = queue.holds.find((h) => canTrap(h, command, now));
  if (!hold) return accept([], { trapped: false });
  return newTrap(hold, here(hold), command, facts);
}

/**
 * The trap the loan service chose at a checkin (09) and carried on its
 * ItemCheckedIn: by then the kiosk has routed the copy for `holdId`, onto the
 * hold shelf here or in transit to the pickup location.
 */
export interface ApplyCheckinTrap extends TrapOnCheckin {
  readonly holdId: string;
  /** The copy was sent on to the hold's pickup location (false: onto the hold shelf here). */
  readonly inTransit: boolean;
}

export interface AppliedTrap {
  readonly trap: TrapResult;
  /** False when the named hold could no longer take the copy and the queue's own rule placed it. */
  readonly asNamed: boolean;
}

/**
 * Applies the checkin's trap to the queue. The named hold takes the copy as the
 * kiosk routed it (the copy is where the kiosk sent it, whatever our fold says
 * of the pickup meanwhile); a hold that already has it trapped that way records
 * nothing, so the same decision applied twice appends nothing. A named hold that
 * can no longer take the copy (closed, expired, holding another copy, or the copy
 * is someone else's trap) does not get it: `decideTrapOnCheckin` then places the
 * copy by queue order, so it still goes to whoever is next, and `asNamed` says so.
 */
export function decideApplyCheckinTrap(command: ApplyCheckinTrap, queue: HoldQueue, facts: TrapFacts, now: Instant): Decision<TrapEvent, never, AppliedTrap> {
  const disposition: TrapDisposition = command.inTransit ? "in_transit" : "on_shelf";
  const named = (d: Accepted<TrapEvent, TrapResult>) => accept(d.events, { trap: d.data, asNamed: true });

  const already = holdTrappingItem(queue, command.itemBarcode);
  if (already?.holdId === command.holdId) return named(keepTrap(already, disposition, command, facts));
  const hold = queue.holds.find((h) => h.holdId === command.holdId);
  if (!already && hold && mayTakeAsNamed(hold, command, now)) return named(newTrap(hold, disposition, command, facts));

  const byQueue = decideTrapOnCheckin(command, queue, facts, now);
  if (byQueue.outcome === "refused") return byQueue;
  return accept(byQueue.events, { trap: byQueue.data, asNamed: false });
}

/** The loan service matched a type-4 hold against the copy's home branch: when we do not know it, its word stands. */
function mayTakeAsNamed(hold: Hold, copy: CopyRef, now: Instant): boolean {
  return canTrap(hold, copy.itemBranch === null ? { ...copy, itemBranch: hold.pickupLocation } : copy, now);
}

/**
 * A copy already trapped stays with its hold. Arrived at the shelf: shelved
 * where it was checked in. Left the shelf: trapped again in transit to its
 * pickup (the fold knows the copy, so only where it is changes). Otherwise nothing.
 */
function keepTrap(already: TrappedHold, disposition: TrapDisposition, command: TrapOnCheckin, facts: TrapFacts): Accepted<TrapEvent, TrapResult> {
  const events: TrapEvent[] = [];
  if (already.status === "in_transit" && disposition === "on_shelf")
    events.push(shelved(already, command, command.checkinLocation, facts.shelfExpiresAt));
  if (already.status === "on_shelf" && disposition === "in_transit") events.push(trap(already, command, true));
  return accept(events, trapped(already, disposition, false, facts));
}

function newTrap(hold: Hold, disposition: TrapDisposition, command: TrapOnCheckin, facts: TrapFacts): Accepted<TrapEvent, TrapResult> {
  const events: TrapEvent[] = [trap(hold, command, disposition === "in_transit")];
  if (disposition === "on_shelf") events.push(shelved(hold, command, hold.pickupLocation, facts.shelfExpiresAt));
  return accept(events, trapped(hold, disposition, true, facts));
}

/** The copy checked in is set aside for `hold`: on its way to the pickup location, or there. */
function trap(hold: Hold, command: TrapOnCheckin, inTransit: boolean): DomainEventOf<"HoldTrapped"> {
  return domainEvent("HoldTrapped", {
    holdId: hold.holdId,
    patronId: hold.patronId,
    item: copyRef(command.institution, command.itemBarcode),
    location: command.checkinLocation,
    inTransit,
    titleId: command.titleKey,
    pickupLocation: hold.pickupLocation,
  });
}

function shelved(hold: Hold, command: TrapOnCheckin, pickupLocation: string, pickupBy: Instant | null): DomainEventOf<"HoldShelved"> {
  return domainEvent("HoldShelved", {
    holdId: hold.holdId,
    patronId: hold.patronId,
    pickupLocation,
    pickupBy: dateOf(pickupBy),
    titleId: command.titleKey,
    item: copyRef(command.institution, command.itemBarcode),
  });
}

function trapped(
  hold: { holdId: string; patronKey: string; pickupLocation: string },
  disposition: TrapDisposition,
  newlyTrapped: boolean,
  facts: TrapFacts,
): TrapResult {
  return {
    trapped: true,
    newlyTrapped,
    holdId: hold.holdId,
    disposition,
    alertType: disposition === "on_shelf" ? AlertType.holdForThisLibrary : AlertType.holdForOtherBranch,
    destination: hold.pickupLocation,
    holdPatronId: hold.patronKey,
    holdPatronName: facts.patronNames?.[hold.patronKey] ?? null,
  };
}
