import { describe, expect, it } from "vitest";
import { givenRegistered, lockedEvent, PATRON, pinChanged, pinUnlocked, rejected } from "../domain/patron.fixtures.js";
import { decideUnlockPin } from "./unlock-pin.decider.js";

const lockedAt5 = [rejected(5), lockedEvent(5, new Date("2025-06-15T10:00:00.000Z"))];

describe("UnlockPin (staff)", () => {
  it("UnlockPin lifts a lock and resets the count, keeping the PIN", () => {
    const state = givenRegistered(pinChanged("h"), ...lockedAt5);
    const d = decideUnlockPin({ type: "UnlockPin", patron: PATRON, staff: "jdoe" }, state);
    expect(d.events).toEqual([pinUnlocked("jdoe")]);
    expect(givenRegistered(pinChanged("h"), ...lockedAt5, ...d.events).pin).toEqual({
      hash: "h",
      consecutiveFailures: 0,
      locked: false,
      lockedAt: null,
    });
  });

  it("UnlockPin with nothing to unlock changes nothing", () => {
    expect(decideUnlockPin({ type: "UnlockPin", patron: PATRON, staff: "jdoe" }, givenRegistered())).toMatchObject({ outcome: "accepted", events: [] });
  });
});
