import { type Accepted, accept, type Decision } from "@circulate/domain";
import { AlertType, type AlertTypeCode } from "./hold.codes.js";
import type { HoldEvent, TrapDisposition } from "./hold.events.js";
import { canTrap, type CopyRef, type Hold, type HoldQueue, holdTrappingItem, type TrappedHold } from "./hold-queue.state.js";
import type { Instant } from "./instant.value.js";

/**
 * A checkin (09) of a copy of this title. The decision appends to the title's
 * queue stream, so two checkins trapping for the same queue at once conflict
 * and the second is decided again.
 */
export interface TrapOnCheckin extends CopyRef {
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
export function decideTrapOnCheckin(command: TrapOnCheckin, queue: HoldQueue, facts: TrapFacts, now: Instant): Decision<HoldEvent, never, TrapResult> {
  const here = (hold: { readonly pickupLocation: string }): TrapDisposition => (hold.pickupLocation === command.checkinLocation ? "on_shelf" : "in_transit");

  const already = holdTrappingItem(queue, command.itemBarcode);
  if (already) return keepTrap(already, here(already), command, facts, now);

  const hold = queue.holds.find((h) => canTrap(h, command, now));
  if (!hold) return accept([], { trapped: false });
  return newTrap(hold, here(hold), command, facts, now);
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
export function decideApplyCheckinTrap(command: ApplyCheckinTrap, queue: HoldQueue, facts: TrapFacts, now: Instant): Decision<HoldEvent, never, AppliedTrap> {
  const disposition: TrapDisposition = command.inTransit ? "in_transit" : "on_shelf";
  const named = (d: Accepted<HoldEvent, TrapResult>) => accept(d.events, { trap: d.data, asNamed: true });

  const already = holdTrappingItem(queue, command.itemBarcode);
  if (already?.holdId === command.holdId) return named(keepTrap(already, disposition, command, facts, now));
  const hold = queue.holds.find((h) => h.holdId === command.holdId);
  if (!already && hold && mayTakeAsNamed(hold, command, now)) return named(newTrap(hold, disposition, command, facts, now));

  const byQueue = decideTrapOnCheckin(command, queue, facts, now);
  if (byQueue.outcome === "refused") return byQueue;
  return accept(byQueue.events, { trap: byQueue.data, asNamed: false });
}

/** The loan service matched a type-4 hold against the copy's home branch: when we do not know it, its word stands. */
function mayTakeAsNamed(hold: Hold, copy: CopyRef, now: Instant): boolean {
  return canTrap(hold, copy.itemBranch === null ? { ...copy, itemBranch: hold.pickupLocation } : copy, now);
}

/** A copy already trapped stays with its hold: it arrived at the shelf, left it, or nothing changed. */
function keepTrap(
  already: TrappedHold,
  disposition: TrapDisposition,
  command: TrapOnCheckin,
  facts: TrapFacts,
  now: Instant,
): Accepted<HoldEvent, TrapResult> {
  const base = { holdId: already.holdId, titleKey: command.titleKey, patronId: already.patronId, itemBarcode: command.itemBarcode };
  const events: HoldEvent[] = [];
  if (already.status === "in_transit" && disposition === "on_shelf")
    events.push({ type: "HoldArrived", ...base, location: command.checkinLocation, arrivedAt: now, shelfExpiresAt: facts.shelfExpiresAt });
  if (already.status === "on_shelf" && disposition === "in_transit")
    events.push({ type: "HoldInTransit", ...base, location: command.checkinLocation, destination: already.pickupLocation, at: now });
  return accept(events, trapped(already, disposition, false, facts));
}

function newTrap(hold: Hold, disposition: TrapDisposition, command: TrapOnCheckin, facts: TrapFacts, now: Instant): Accepted<HoldEvent, TrapResult> {
  return accept(
    [
      {
        type: "HoldTrapped",
        holdId: hold.holdId,
        titleKey: command.titleKey,
        patronId: hold.patronId,
        itemBarcode: command.itemBarcode,
        pickupLocation: hold.pickupLocation,
        disposition,
        location: command.checkinLocation,
        trappedAt: now,
        shelfExpiresAt: disposition === "on_shelf" ? facts.shelfExpiresAt : null,
      },
    ],
    trapped(hold, disposition, true, facts),
  );
}

function trapped(
  hold: { holdId: string; patronId: string; pickupLocation: string },
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
    holdPatronId: hold.patronId,
    holdPatronName: facts.patronNames?.[hold.patronId] ?? null,
  };
}
