import { fold } from "@circulate/domain";
import { describe, expect, it } from "vitest";
import { FIVE_TRIES, givenRegistered, lockedEvent, NOW, pinAccepted, pinChanged, pinUnlocked, rejected } from "./patron.fixtures.js";
import { evolvePatron, type RegisteredPatron } from "./patron.state.js";
import { checkPin } from "./pin-lock.js";

const locked = (n: number) => lockedEvent(n, NOW);

describe("PIN verification and lock-out", () => {
  it("a right PIN with no earlier failures is ok and records nothing", () => {
    expect(checkPin(true, givenRegistered(), FIVE_TRIES, NOW)).toEqual({ pin: "ok", events: [] });
  });

  it("a wrong PIN is rejected and counts: PinFailed carries the new consecutive count", () => {
    expect(checkPin(false, givenRegistered(), FIVE_TRIES, NOW)).toEqual({ pin: "wrong", events: [rejected(1)] });
    expect(checkPin(false, givenRegistered(rejected(1), rejected(2)), FIVE_TRIES, NOW)).toEqual({
      pin: "wrong",
      events: [rejected(3)],
    });
  });

  it("the wrong PIN that reaches the limit locks the PIN and already reports locked", () => {
    const state = givenRegistered(rejected(1), rejected(2), rejected(3), rejected(4));
    expect(checkPin(false, state, FIVE_TRIES, NOW)).toEqual({ pin: "locked", events: [rejected(5), locked(5)] });
  });

  it("locks after exactly N wrong PINs in a row when each attempt is applied in turn", () => {
    let state = givenRegistered();
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { pin, events } = checkPin(false, state, FIVE_TRIES, NOW);
      outcomes.push(pin);
      state = fold(evolvePatron, state, events) as RegisteredPatron;
    }
    expect(outcomes).toEqual(["wrong", "wrong", "wrong", "wrong", "locked"]);
    expect(state.pin).toMatchObject({ consecutiveFailures: 5, locked: true });
  });

  it("a right PIN after wrong ones resets the count with PinFailuresReset", () => {
    const state = givenRegistered(rejected(1), rejected(2));
    const { pin, events } = checkPin(true, state, FIVE_TRIES, NOW);
    expect(pin).toBe("ok");
    expect(events).toEqual([pinAccepted()]);
    expect(givenRegistered(rejected(1), rejected(2), ...events).pin.consecutiveFailures).toBe(0);
  });

  it("the count is of consecutive failures: after a reset it takes N more wrong PINs to lock", () => {
    const state = givenRegistered(rejected(1), rejected(2), rejected(3), rejected(4), pinAccepted());
    expect(checkPin(false, state, FIVE_TRIES, NOW)).toEqual({ pin: "wrong", events: [rejected(1)] });
  });

  it("a locked PIN refuses even the right PIN, and records nothing", () => {
    const state = givenRegistered(rejected(5), locked(5));
    expect(checkPin(true, state, FIVE_TRIES, NOW)).toEqual({ pin: "locked", events: [] });
    expect(checkPin(false, state, FIVE_TRIES, NOW)).toEqual({ pin: "locked", events: [] });
  });

  it("no PIN given is not checked and records nothing, locked or not", () => {
    expect(checkPin(undefined, givenRegistered(), FIVE_TRIES, NOW)).toEqual({ pin: "not_checked", events: [] });
    expect(checkPin(undefined, givenRegistered(rejected(5), locked(5)), FIVE_TRIES, NOW)).toEqual({
      pin: "not_checked",
      events: [],
    });
  });

  it("a policy without a limit never locks", () => {
    const state = givenRegistered(rejected(99));
    expect(checkPin(false, state, { maxConsecutiveWrongPins: null, lockMinutes: null }, NOW)).toEqual({ pin: "wrong", events: [rejected(100)] });
  });

  it("UnlockPin or a new PIN lifts the lock (see set-pin), after which the right PIN is ok again", () => {
    const unlocked = givenRegistered(rejected(5), locked(5), pinUnlocked("jdoe"));
    expect(checkPin(true, unlocked, FIVE_TRIES, NOW)).toEqual({ pin: "ok", events: [] });
    const reset = givenRegistered(rejected(5), locked(5), pinChanged("scrypt$new"));
    expect(checkPin(true, reset, FIVE_TRIES, NOW)).toEqual({ pin: "ok", events: [] });
  });
});
