import { describe, expect, it } from "vitest";
import { aUsage, blockedBy, facts, FIVE_TRIES, given, givenRegistered, NOW, PATRON, rejected } from "../domain/patron.fixtures.js";
import { unknownPatronStanding } from "../domain/standing.js";
import { decideVerifyPatron, type VerifyPatron, type VerifyPatronFacts } from "./verify-patron.decider.js";

const verify = (pinMatches: boolean | undefined): VerifyPatron => ({ type: "VerifyPatron", patron: PATRON, pinMatches });
const withPins = (overrides: Partial<VerifyPatronFacts> = {}): VerifyPatronFacts => ({
  ...facts(),
  pinPolicy: FIVE_TRIES,
  ...overrides,
});

describe("VerifyPatron (23 / 63, and other services before they decide)", () => {
  it("given a known patron and the right PIN, reports found, pin ok and the standing, recording nothing", () => {
    const d = decideVerifyPatron(verify(true), givenRegistered(), withPins(), NOW);
    expect(d.outcome).toBe("accepted");
    expect(d.events).toEqual([]);
    expect(d.outcome === "accepted" && d.data).toMatchObject({ found: true, pin: "ok", standing: { valid: true, inGoodStanding: true } });
  });

  it("a wrong PIN is reported, not refused, and the rejection is recorded", () => {
    const d = decideVerifyPatron(verify(false), givenRegistered(), withPins(), NOW);
    expect(d).toMatchObject({ outcome: "accepted", events: [rejected(1)], data: { found: true, pin: "wrong" } });
  });

  it("the attempt that reaches the limit reports locked and records the lock", () => {
    const state = givenRegistered(rejected(1), rejected(2), rejected(3), rejected(4));
    const d = decideVerifyPatron(verify(false), state, withPins(), NOW);
    expect(d).toMatchObject({ data: { pin: "locked" } });
    expect(d.events.map((e) => e.type)).toEqual(["PinFailed", "PinLocked"]);
  });

  it("without a PIN, reports not_checked and still gives the standing", () => {
    const d = decideVerifyPatron(verify(undefined), givenRegistered(), withPins({ usage: aUsage({ charged: 10 }) }), NOW);
    expect(d).toMatchObject({ events: [], data: { pin: "not_checked", standing: { reasons: ["too_many_charged"] } } });
  });

  it("given an unknown barcode, reports not found with the unknown-patron standing and records nothing", () => {
    const d = decideVerifyPatron(verify(undefined), given(), withPins(), NOW);
    expect(d).toEqual({
      outcome: "accepted",
      events: [],
      data: { found: false, pin: "not_checked", pinLocked: false, standing: unknownPatronStanding() },
    });
  });

  it("a PIN given for an unknown barcode counts as wrong (CQ = N)", () => {
    expect(decideVerifyPatron(verify(true), given(), withPins(), NOW)).toMatchObject({ data: { pin: "wrong" } });
  });

  it("a blocked patron with the right PIN is found and valid, with charge denied", () => {
    const state = givenRegistered(blockedBy(true, "x", "kiosk1"));
    const d = decideVerifyPatron(verify(true), state, withPins(), NOW);
    expect(d).toMatchObject({ data: { found: true, pin: "ok", standing: { valid: true, reasons: ["blocked"] } } });
  });
});
