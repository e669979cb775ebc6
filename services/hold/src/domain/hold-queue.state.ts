import { fold } from "@circulate/domain";
import type { HoldTypeCode } from "./hold.codes.js";
import type { HoldEvent, HoldTarget, TrapDisposition } from "./hold.events.js";
import { atOrBefore, type Instant } from "./instant.value.js";

interface HoldBase {
  readonly holdId: string;
  readonly patronId: string;
  readonly holdType: HoldTypeCode;
  readonly target: HoldTarget;
  readonly pickupLocation: string;
  readonly expiresAt: Instant | null;
  readonly placedAt: Instant;
  /** `null` = active; `{ until: null }` = suspended until resumed. */
  readonly suspended: { readonly until: Instant | null } | null;
}

export interface WaitingHold extends HoldBase {
  readonly status: "waiting";
}

export interface Trap {
  readonly itemBarcode: string;
  readonly trappedAt: Instant;
  readonly shelfExpiresAt: Instant | null;
}

export interface TrappedHold extends HoldBase {
  readonly status: TrapDisposition;
  readonly trap: Trap;
}

/** An active hold: waiting in the queue, or trapped (in transit or on the hold shelf). */
export type Hold = WaitingHold | TrappedHold;

export type ClosedHoldStatus = "fulfilled" | "cancelled" | "expired";

/**
 * One title's queue. `holds` are the active holds in placement order, which is the
 * queue order: position = index + 1. Closed holds leave the list (so the queue
 * advances) and are remembered by id only, so an id is never reused.
 */
export interface HoldQueue {
  readonly titleKey: string | null;
  readonly holds: readonly Hold[];
  readonly closed: ReadonlyMap<string, ClosedHoldStatus>;
}

export const initialHoldQueue: HoldQueue = { titleKey: null, holds: [], closed: new Map() };

export function evolve(state: HoldQueue, event: HoldEvent): HoldQueue {
  switch (event.type) {
    case "HoldPlaced": {
      const hold: WaitingHold = {
        holdId: event.holdId,
        patronId: event.patronId,
        holdType: event.holdType,
        target: event.target,
        pickupLocation: event.pickupLocation,
        expiresAt: event.expiresAt,
        placedAt: event.placedAt,
        suspended: null,
        status: "waiting",
      };
      return { ...state, titleKey: state.titleKey ?? event.titleKey, holds: insertByPlacement(state.holds, hold) };
    }
    case "HoldChanged":
      return update(state, event.holdId, (h) => ({ ...h, pickupLocation: event.pickupLocation, expiresAt: event.expiresAt }));
    case "HoldSuspended":
      return update(state, event.holdId, (h) => ({ ...h, suspended: { until: event.until } }));
    case "HoldResumed":
      return update(state, event.holdId, (h) => ({ ...h, suspended: null }));
    case "HoldTrapped": {
      const trap: Trap = { itemBarcode: event.itemBarcode, trappedAt: event.trappedAt, shelfExpiresAt: event.shelfExpiresAt };
      return update(state, event.holdId, (h) => ({ ...withoutTrap(h), status: event.disposition, trap }));
    }
    case "HoldArrived":
      return update(state, event.holdId, (h) =>
        h.status === "waiting" ? h : { ...h, status: "on_shelf", trap: { ...h.trap, shelfExpiresAt: event.shelfExpiresAt } },
      );
    case "HoldInTransit":
      return update(state, event.holdId, (h) =>
        h.status === "waiting" ? h : { ...h, status: "in_transit", trap: { ...h.trap, shelfExpiresAt: null } },
      );
    case "HoldTrapReleased":
      return update(state, event.holdId, (h) => ({ ...withoutTrap(h), status: "waiting" }));
    case "HoldCancelled":
      return close(state, event.holdId, "cancelled");
    case "HoldFulfilled":
      return close(state, event.holdId, "fulfilled");
    case "HoldExpired":
      return close(state, event.holdId, "expired");
  }
}

export function queueFrom(events: Iterable<HoldEvent>): HoldQueue {
  return fold(evolve, initialHoldQueue, events);
}

/** 1-based position in the queue, or `undefined` for a hold that is not active. */
export function positionOf(queue: HoldQueue, holdId: string): number | undefined {
  const i = queue.holds.findIndex((h) => h.holdId === holdId);
  return i < 0 ? undefined : i + 1;
}

/** A patron has at most one active hold per title queue (a second one is refused as a duplicate). */
export function activeHoldOf(queue: HoldQueue, patronId: string): Hold | undefined {
  return queue.holds.find((h) => h.patronId === patronId);
}

export function holdTrappingItem(queue: HoldQueue, itemBarcode: string): TrappedHold | undefined {
  return queue.holds.find((h): h is TrappedHold => h.status !== "waiting" && h.trap.itemBarcode === itemBarcode);
}

export function isExpired(hold: Hold, now: Instant): boolean {
  return hold.expiresAt !== null && atOrBefore(hold.expiresAt, now);
}

export function isSuspended(hold: Hold, now: Instant): boolean {
  if (hold.suspended === null) return false;
  return hold.suspended.until === null || !atOrBefore(hold.suspended.until, now);
}

/** The copy being checked in or out, as the hold rules need it. */
export interface CopyRef {
  readonly itemBarcode: string;
  /** The copy's home branch (from the item service); needed only by hold type 4. */
  readonly itemBranch: string | null;
}

/** The hold asks for something this copy is: the title, this very copy, or a copy of its pickup branch. */
export function targetMatches(hold: Hold, copy: CopyRef): boolean {
  switch (hold.target.kind) {
    case "title":
      return true;
    case "item":
      return hold.target.itemBarcode === copy.itemBarcode;
    case "branch":
      // Unknown home branch: not eligible, so a type-4 hold is never filled from the wrong branch.
      return copy.itemBranch !== null && copy.itemBranch === hold.pickupLocation;
  }
}

/** The hold is waiting, live and asks for this copy: it may trap it now. */
export function canTrap(hold: Hold, copy: CopyRef, now: Instant): boolean {
  return hold.status === "waiting" && !isExpired(hold, now) && !isSuspended(hold, now) && targetMatches(hold, copy);
}

/**
 * Queue order is placement order. Live holds are placed "now" and so go last;
 * an imported hold carries the previous system's placement time and takes its
 * place among the others. Equal times keep append order (stable).
 */
function insertByPlacement(holds: readonly Hold[], hold: Hold): Hold[] {
  const at = holds.findIndex((h) => Date.parse(h.placedAt) > Date.parse(hold.placedAt));
  return at < 0 ? [...holds, hold] : [...holds.slice(0, at), hold, ...holds.slice(at)];
}

function update(state: HoldQueue, holdId: string, change: (h: Hold) => Hold): HoldQueue {
  return { ...state, holds: state.holds.map((h) => (h.holdId === holdId ? change(h) : h)) };
}

function close(state: HoldQueue, holdId: string, status: ClosedHoldStatus): HoldQueue {
  const closed = new Map(state.closed);
  closed.set(holdId, status);
  return { ...state, holds: state.holds.filter((h) => h.holdId !== holdId), closed };
}

function withoutTrap(h: Hold): HoldBase {
  if (h.status === "waiting") {
    const { status: _status, ...base } = h;
    return base;
  }
  const { status: _status, trap: _trap, ...base } = h;
  return base;
}
