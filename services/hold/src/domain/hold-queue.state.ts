import type { common, DomainEvent } from "@circulate/contracts";
import { fold } from "@circulate/domain";
import { HoldType, type HoldTypeCode, holdTypeCode } from "./hold.codes.js";
import { atOrBefore, type Instant, instantOf } from "./instant.value.js";

/**
 * Suspending a hold has no message in the contract yet (no command or RPC
 * suspends one), so these two events exist only in the domain: deciders and
 * the fold know them, nothing stores or publishes them.
 */
export type HoldSuspension =
  | { readonly type: "HoldSuspended"; readonly data: { readonly holdId: string; /** Unset = until resumed. */ readonly until: Date | undefined } }
  | { readonly type: "HoldResumed"; readonly data: { readonly holdId: string } };

/** What one title's queue folds: the hold service's events, and suspensions. */
export type HoldQueueEvent = DomainEvent<"hold"> | HoldSuspension;

/**
 * What a hold can be filled by. `branch` (SIP2 hold type 4, any copy at a single
 * branch) means a copy whose home branch is the hold's pickup location: 15 has no
 * other field to name the branch.
 */
export type HoldTarget = { readonly kind: "title" } | { readonly kind: "item"; readonly itemBarcode: string } | { readonly kind: "branch" };

/** Where a trapped item is: waiting on the pickup location's hold shelf, or travelling there. */
export type TrapDisposition = "on_shelf" | "in_transit";

/** `institution/barcode`: the institution is escaped, so the first `/` always ends it. */
export function patronKey(ref: Pick<common.PatronRef, "institutionId" | "barcode">): string {
  return `${encodeURIComponent(ref.institutionId)}/${ref.barcode}`;
}

/** A copy of the queue's institution as events name it; none for an empty barcode. */
export function copyRef(institution: string, barcode: string | null): common.ItemRef | undefined {
  return barcode === null || barcode === "" ? undefined : { institutionId: institution, barcode };
}

interface HoldBase {
  readonly holdId: string;
  /** Who holds it, as commands name patrons (`patronKey`). */
  readonly patronKey: string;
  /** The patron service's id of that patron, as the hold was placed; events about the hold repeat it. */
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
  /** Until when it waits on the shelf (on the shelf only). */
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

export function evolve(state: HoldQueue, event: HoldQueueEvent): HoldQueue {
  switch (event.type) {
    case "HoldPlaced": {
      const e = event.data;
      const holdType = holdTypeCode(e.holdType) as HoldTypeCode;
      const hold: WaitingHold = {
        holdId: e.holdId,
        // A HoldPlaced without the card names the patron by barcode alone.
        patronKey: patronKey(e.patron ?? { institutionId: "", barcode: e.patronId }),
        patronId: e.patronId,
        holdType,
        target: targetOf(holdType, e.item),
        pickupLocation: e.pickupLocation,
        expiresAt: instantOf(e.expiresAt),
        // Unset only on an event stored without it: the app's fold gives it the time it was recorded.
        placedAt: instantOf(e.placedAt) ?? "",
        suspended: null,
        status: "waiting",
      };
      return { ...state, titleKey: state.titleKey ?? (e.titleId || null), holds: insertByPlacement(state.holds, hold) };
    }
    case "HoldChanged":
      return update(state, event.data.holdId, (h) => ({ ...h, pickupLocation: event.data.pickupLocation, expiresAt: instantOf(event.data.expiresAt) }));
    case "HoldSuspended":
      return update(state, event.data.holdId, (h) => ({ ...h, suspended: { until: instantOf(event.data.until) } }));
    case "HoldResumed":
      return update(state, event.data.holdId, (h) => ({ ...h, suspended: null }));
    case "HoldTrapped": {
      const { inTransit } = event.data;
      const itemBarcode = event.data.item?.barcode ?? "";
      return update(state, event.data.holdId, (h) =>
        // The copy already trapped for this hold, sent on again: only where it is changes.
        inTransit && h.status !== "waiting" && h.trap.itemBarcode === itemBarcode
          ? { ...h, status: "in_transit", trap: { ...h.trap, shelfExpiresAt: null } }
          : // The shelf date comes with the HoldShelved that follows a trap on the shelf.
            { ...withoutTrap(h), status: inTransit ? "in_transit" : "on_shelf", trap: { itemBarcode, shelfExpiresAt: null } },
      );
    }
    case "HoldShelved": {
      const shelfExpiresAt = instantOf(event.data.pickupBy);
      return update(state, event.data.holdId, (h) => (h.status === "waiting" ? h : { ...h, status: "on_shelf", trap: { ...h.trap, shelfExpiresAt } }));
    }
    case "HoldTrapReleased":
      return update(state, event.data.holdId, (h) => ({ ...withoutTrap(h), status: "waiting" }));
    case "HoldCancelled":
      return close(state, event.data.holdId, "cancelled");
    case "HoldFulfilled":
      return close(state, event.data.holdId, "fulfilled");
    case "HoldExpired":
      return close(state, event.data.holdId, "expired");
  }
}

export function queueFrom(events: Iterable<HoldQueueEvent>): HoldQueue {
  return fold(evolve, initialHoldQueue, events);
}

/** 1-based position in the queue, or `undefined` for a hold that is not active. */
export function positionOf(queue: HoldQueue, holdId: string): number | undefined {
  const i = queue.holds.findIndex((h) => h.holdId === holdId);
  return i < 0 ? undefined : i + 1;
}

/** A patron has at most one active hold per title queue (a second one is refused as a duplicate). */
export function activeHoldOf(queue: HoldQueue, patronKey: string): Hold | undefined {
  return queue.holds.find((h) => h.patronKey === patronKey);
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

/** Type 3 holds the copy the event names; type 4 a copy of the pickup branch; anything else the title. */
function targetOf(code: HoldTypeCode, item: common.ItemRef | undefined): HoldTarget {
  if (code === HoldType.specificCopy && item) return { kind: "item", itemBarcode: item.barcode };
  if (code === HoldType.anyCopyAtBranch) return { kind: "branch" };
  return { kind: "title" };
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
