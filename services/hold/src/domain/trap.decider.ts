import { accept, type Decision } from "@circulate/domain";
import { AlertType, type AlertTypeCode } from "./hold.codes.js";
import type { HoldEvent, TrapDisposition } from "./hold.events.js";
import { canTrap, type CopyRef, type HoldQueue, holdTrappingItem } from "./hold-queue.state.js";
import type { Instant } from "./instant.value.js";

/**
 * Asked by the loan service on every checkin (09) of a copy of this title. The
 * decision appends to the title's queue stream, so two checkins trapping for the
 * same queue at once conflict and the second is decided again.
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
  const here = (hold: { readonly pickupLocation: string }) => hold.pickupLocation === command.checkinLocation;

  const already = holdTrappingItem(queue, command.itemBarcode);
  if (already) {
    const base = { holdId: already.holdId, titleKey: command.titleKey, patronId: already.patronId, itemBarcode: command.itemBarcode };
    const disposition: TrapDisposition = here(already) ? "on_shelf" : "in_transit";
    const events: HoldEvent[] = [];
    if (already.status === "in_transit" && disposition === "on_shelf")
      events.push({ type: "HoldArrived", ...base, location: command.checkinLocation, arrivedAt: now, shelfExpiresAt: facts.shelfExpiresAt });
    if (already.status === "on_shelf" && disposition === "in_transit")
      events.push({ type: "HoldInTransit", ...base, location: command.checkinLocation, destination: already.pickupLocation, at: now });
    return accept(events, trapped(already, disposition, false, facts));
  }

  const hold = queue.holds.find((h) => canTrap(h, command, now));
  if (!hold) return accept([], { trapped: false });

  const disposition: TrapDisposition = here(hold) ? "on_shelf" : "in_transit";
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

/** The checkin response's alert fields. */
export interface CheckinAlert {
  readonly alert: boolean;
  readonly alertType: AlertTypeCode | null;
  readonly destination: string | null;
  readonly holdPatronId: string | null;
  readonly holdPatronName: string | null;
}

/**
 * For the loan service, which owns the checkin answer: a trap decides the alert;
 * without one, a copy checked in away from its home branch is sent home (04).
 */
export function checkinAlert(trap: TrapResult, routing: { readonly itemHomeLocation: string | null; readonly checkinLocation: string }): CheckinAlert {
  if (trap.trapped)
    return { alert: true, alertType: trap.alertType, destination: trap.destination, holdPatronId: trap.holdPatronId, holdPatronName: trap.holdPatronName };
  if (routing.itemHomeLocation !== null && routing.itemHomeLocation !== routing.checkinLocation)
    return { alert: true, alertType: AlertType.sendToOtherBranch, destination: routing.itemHomeLocation, holdPatronId: null, holdPatronName: null };
  return { alert: false, alertType: null, destination: null, holdPatronId: null, holdPatronName: null };
}
