import type { HoldFacts } from "./facts.js";

/**
 * An active hold in the copy's title queue, as the hold service's events last
 * described it (the loan service keeps its own copy of them).
 */
export interface QueuedHold {
  readonly holdId: string;
  readonly patronId: string;
  /** Where the patron collects it. */
  readonly pickupLocation: string;
  /** ISO instant; queue order is placement order. */
  readonly placedAt: string;
  /** Waiting in the queue, or trapped (in transit to, or on, the hold shelf). */
  readonly trapped: boolean;
  /** The copy trapped for it. */
  readonly trappedBarcode: string;
  /** What it asks for: any copy of the title, this very copy, or a copy whose home is the pickup branch. */
  readonly target: { readonly kind: "title" } | { readonly kind: "copy"; readonly barcode: string } | { readonly kind: "branch"; readonly pickup: string };
  /** ISO instant; null = never. */
  readonly expiresAt: string | null;
}

/** The copy the decision is about: its barcode and home branch. */
export interface Copy {
  readonly barcode: string;
  readonly branch: string;
}

function asksFor(hold: QueuedHold, copy: Copy): boolean {
  switch (hold.target.kind) {
    case "title":
      return true;
    case "copy":
      return hold.target.barcode === copy.barcode;
    case "branch":
      // Unknown home branch: not eligible, so a branch hold is never filled from the wrong one.
      return copy.branch !== "" && copy.branch === hold.target.pickup;
  }
}

/** The hold service's rule for a hold a returned copy would trap: waiting, live, and asking for it. */
function couldTrap(hold: QueuedHold, copy: Copy, now: Date): boolean {
  return !hold.trapped && (hold.expiresAt === null || Date.parse(hold.expiresAt) > now.getTime()) && asksFor(hold, copy);
}

/**
 * What checkout and renewal need to know about holds on one copy, for one
 * patron (`null` = nobody in particular: a cancel). The queue is the copy's
 * title queue at its owning institution.
 */
export function holdFactsFor(queue: readonly QueuedHold[], copy: Copy, patronId: string | null, now: Date): HoldFacts {
  const trapped = queue.find((h) => h.trapped && h.trappedBarcode === copy.barcode);
  return {
    trappedFor: trapped?.patronId ?? null,
    itemLevelHoldPatrons: queue.filter((h) => !h.trapped && h.target.kind === "copy" && h.target.barcode === copy.barcode).map((h) => h.patronId),
    titleQueueLength: queue.length,
    someoneElseWaiting: queue.some((h) => couldTrap(h, copy, now) && h.patronId !== patronId),
  };
}

/** Where a returned copy goes for a hold: to the shelf here, or in transit to the pickup location. */
export interface Trap {
  readonly holdId: string;
  readonly patronId: string;
  readonly pickupLocation: string;
  readonly inTransit: boolean;
}

/** Where a checked-in copy goes next, as its checkin carries it: to a hold, or home. */
export interface Routing {
  /** The hold it is trapped for; empty when it is going home. */
  readonly holdId: string;
  readonly destination: string;
  readonly inTransit: boolean;
}

/**
 * The hold a copy checked in at `checkinLocation` goes to, decided here and
 * applied by the hold service from ItemCheckedIn. A copy already trapped (in
 * transit or on the shelf) stays with its hold, now here or on its way; else
 * the first hold in queue (placement) order that could take it traps it: on
 * the shelf when its pickup location is where the copy is, in transit otherwise.
 */
export function decideTrap(queue: readonly QueuedHold[], copy: Copy, checkinLocation: string, now: Date): Trap | null {
  const place = (h: QueuedHold): Trap => ({ holdId: h.holdId, patronId: h.patronId, pickupLocation: h.pickupLocation, inTransit: h.pickupLocation !== checkinLocation });
  const already = queue.find((h) => h.trapped && h.trappedBarcode === copy.barcode);
  if (already) return place(already);
  const order = [...queue].sort((a, b) => Date.parse(a.placedAt) - Date.parse(b.placedAt) || (a.holdId < b.holdId ? -1 : a.holdId > b.holdId ? 1 : 0));
  const next = order.find((h) => couldTrap(h, copy, now));
  return next ? place(next) : null;
}
