// Builders for the unit specs only (excluded from the build).
import type { HoldEvent, HoldPlaced, HoldTarget, HoldTrapped } from "./hold.events.js";
import { type HoldQueue, queueFrom } from "./hold-queue.state.js";

export const TITLE = "title-moby";

export function placed(holdId: string, patronId: string, over: Partial<HoldPlaced> & { target?: HoldTarget } = {}): HoldPlaced {
  return {
    type: "HoldPlaced",
    holdId,
    titleKey: TITLE,
    patronId,
    holdType: over.target?.kind === "item" ? "3" : over.target?.kind === "branch" ? "4" : "2",
    target: { kind: "title" },
    pickupLocation: "MAIN",
    expiresAt: null,
    placedAt: "2025-01-01T10:00:00Z",
    ...over,
  };
}

export function trapped(holdId: string, patronId: string, itemBarcode: string, over: Partial<HoldTrapped> = {}): HoldTrapped {
  return {
    type: "HoldTrapped",
    holdId,
    titleKey: TITLE,
    patronId,
    itemBarcode,
    pickupLocation: "MAIN",
    disposition: "on_shelf",
    location: "MAIN",
    trappedAt: "2025-02-01T10:00:00Z",
    shelfExpiresAt: "2025-02-08T21:59:59Z",
    ...over,
  };
}

export function given(...events: HoldEvent[]): HoldQueue {
  return queueFrom(events);
}
