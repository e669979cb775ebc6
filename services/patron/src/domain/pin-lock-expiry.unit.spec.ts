import { fold } from "@circulate/domain";
import { describe, expect, it } from "vitest";
import { FIVE_TRIES, facts, givenRegistered, NOW, PATRON, PATRON_ID, pinUnlocked, rejected } from "./patron.fixtures.js";
import { evolvePatron, type RegisteredPatron } from "./patron.state.js";
import { patronEvent } from "./unpublished-fields.js";
import { decideUnlockPin } from "../unlock-pin/unlock-pin.decider.js";
import { decideVerifyPatron } from "../verify-patron/verify-patron.decider.js";
import { checkPin, type PinPolicy, pinLockInForce } from "./pin-lock.js";

const FIFTEEN_MINUTES: PinPolicy = { ...FIVE_TRIES, lockMinutes: 15 };
const MINUTE = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

/** Five wrong PINs applied through the decider at NOW, so the lock carries the decider's own time. */
function lockedAtNow(policy: PinPolicy): RegisteredPatron {
  let state = givenRegistered();
  for (let i = 0; i < 5; i++) state = fold(evolvePatron, state, checkPin(false, state, policy, NOW).events) as RegisteredPatron;
  return state;
}

describe("PIN lock expiry (per-institution lock time)", () => {
  it("the lock records when it was set and, with a lock time, until when", () => {
    const { events } = checkPin(false, givenRegistered(rejected(1), rejected(2), rejected(3), rejected(4)), FIFTEEN_MINUTES, NOW);
    expect(events.at(-1)).toEqual(
      patronEvent("PinLocked", { patronId: PATRON_ID, consecutiveFailures: 5, lockedAt: NOW.toISOString(), lockedUntil: at(15 * MINUTE) }),
    );
    const never = checkPin(false, givenRegistered(rejected(1), rejected(2), rejected(3), rejected(4)), FIVE_TRIES, NOW);
    expect(never.events.at(-1)).toMatchObject({ type: "PinLocked", data: { lockedUntil: undefined } });
  });

  it("still blocks, the right PIN included, one millisecond before the lock time has passed", () => {
    const state = lockedAtNow(FIFTEEN_MINUTES);
    const before = at(15 * MINUTE - 1);
    expect(pinLockInForce(state.pin, FIFTEEN_MINUTES, before)).toBe(true);
    expect(checkPin(true, state, FIFTEEN_MINUTES, before)).toEqual({ pin: "locked", events: [] });
  });

  it("no longer blocks once the lock time has passed: the right PIN is ok and the expiry is recorded", () => {
    const state = lockedAtNow(FIFTEEN_MINUTES);
    const after = at(15 * MINUTE);
    expect(pinLockInForce(state.pin, FIFTEEN_MINUTES, after)).toBe(false);
    const { pin, events } = checkPin(true, state, FIFTEEN_MINUTES, after);
    expect(pin).toBe("ok");
    expect(events).toEqual([pinUnlocked("", true)]);
    expect(fold(evolvePatron, state, events)).toMatchObject({ pin: { locked: false, consecutiveFailures: 0, lockedAt: null } });
  });

  it("after expiry a wrong PIN is the first of a fresh count, not another lock", () => {
    const state = lockedAtNow(FIFTEEN_MINUTES);
    const { pin, events } = checkPin(false, state, FIFTEEN_MINUTES, at(20 * MINUTE));
    expect(pin).toBe("wrong");
    expect(events).toEqual([pinUnlocked("", true), rejected(1)]);
  });

  it("a lock time of null (\"never\") keeps the lock however long ago it was set", () => {
    const state = lockedAtNow(FIVE_TRIES);
    const muchLater = at(365 * 24 * 60 * MINUTE);
    expect(pinLockInForce(state.pin, FIVE_TRIES, muchLater)).toBe(true);
    expect(checkPin(true, state, FIVE_TRIES, muchLater)).toEqual({ pin: "locked", events: [] });
  });

  it("the lock time in force when the PIN is checked applies (an institution that shortens it frees old locks)", () => {
    const state = lockedAtNow(FIVE_TRIES);
    expect(checkPin(true, state, FIFTEEN_MINUTES, at(16 * MINUTE)).pin).toBe("ok");
  });

  it("no PIN given records nothing, even for an expired lock", () => {
    expect(checkPin(undefined, lockedAtNow(FIFTEEN_MINUTES), FIFTEEN_MINUTES, at(60 * MINUTE))).toEqual({ pin: "not_checked", events: [] });
  });

  it("VerifyPatron reports whether the lock is in force after the check (23/63 say locked whatever PIN was sent)", () => {
    const state = lockedAtNow(FIFTEEN_MINUTES);
    const f = { ...facts(), pinPolicy: FIFTEEN_MINUTES };
    const verify = (pinMatches: boolean | undefined) => ({ type: "VerifyPatron", patron: PATRON, pinMatches }) as const;
    expect(decideVerifyPatron(verify(true), state, f, at(MINUTE))).toMatchObject({ data: { pin: "locked", pinLocked: true } });
    expect(decideVerifyPatron(verify(undefined), state, f, at(MINUTE))).toMatchObject({ data: { pin: "not_checked", pinLocked: true } });
    expect(decideVerifyPatron(verify(true), state, f, at(15 * MINUTE))).toMatchObject({ data: { pin: "ok", pinLocked: false } });
  });

  it("staff unlock names who lifted the lock; an unlock with no name is refused", () => {
    const state = lockedAtNow(FIVE_TRIES);
    expect(decideUnlockPin({ type: "UnlockPin", patron: PATRON, staff: "jdoe" }, state).events).toEqual([pinUnlocked("jdoe")]);
    expect(decideUnlockPin({ type: "UnlockPin", patron: PATRON, staff: " " }, state)).toMatchObject({ outcome: "refused", reason: "staff_required" });
  });
});
