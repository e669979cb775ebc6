import { describe, expect, it } from "vitest";
import { FIVE_TRIES, given, givenRegistered, lockedEvent, NOW, PATRON, rejected } from "../domain/patron.fixtures.js";
import { decideVerifyPin } from "./verify-pin.decider.js";

const locked = (n: number) => lockedEvent(n, NOW);

describe("VerifyPin command", () => {
  const cmd = (pinMatches: boolean) => ({ type: "VerifyPin", patron: PATRON, pinMatches }) as const;

  it("accepts the right PIN", () => {
    expect(decideVerifyPin(cmd(true), givenRegistered(), FIVE_TRIES, NOW)).toEqual({ outcome: "accepted", events: [], data: undefined });
  });

  it("refuses a wrong PIN as pin_invalid and still records the rejection", () => {
    expect(decideVerifyPin(cmd(false), givenRegistered(), FIVE_TRIES, NOW)).toEqual({
      outcome: "refused",
      reason: "pin_invalid",
      events: [rejected(1)],
    });
  });

  it("refuses a locked PIN as pin_locked, even when it is right", () => {
    const state = givenRegistered(rejected(5), locked(5));
    expect(decideVerifyPin(cmd(true), state, FIVE_TRIES, NOW)).toMatchObject({ outcome: "refused", reason: "pin_locked", events: [] });
  });

  it("refuses an unknown patron", () => {
    expect(decideVerifyPin(cmd(true), given(), FIVE_TRIES, NOW)).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
  });
});
