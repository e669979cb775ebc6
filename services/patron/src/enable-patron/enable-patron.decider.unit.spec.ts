import { describe, expect, it } from "vitest";
import { blockedBy, cardLost, enabled, facts, given, givenRegistered, lockedEvent, NOW, PATRON, rejected } from "../domain/patron.fixtures.js";
import { decideEnablePatron, decideUnblockPatron, type UnblockPatron } from "./enable-patron.decider.js";

const blockedEvent = (cardRetained: boolean, reason: string) => blockedBy(cardRetained, reason, "kiosk1");
const enable = { type: "EnablePatron", patron: PATRON } as const;

describe("25 Patron Enable", () => {
  it("lifts the manual block and replies with the standing restored", () => {
    const d = decideEnablePatron(enable, givenRegistered(blockedEvent(false, "x")), facts(), NOW);
    expect(d).toMatchObject({
      outcome: "accepted",
      events: [enabled()],
      data: { standing: { reasons: [], inGoodStanding: true } },
    });
  });

  it("enabling a patron who is not blocked changes nothing", () => {
    expect(decideEnablePatron(enable, givenRegistered(), facts(), NOW)).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("does not clear a lost card: the card_lost cause remains", () => {
    const state = givenRegistered(cardLost(), blockedEvent(false, "x"));
    expect(decideEnablePatron(enable, state, facts(), NOW)).toMatchObject({ data: { standing: { reasons: ["card_lost"] } } });
  });

  it("does not clear a PIN lock (a kiosk could otherwise reset the lock-out)", () => {
    const history = [blockedEvent(false, "x"), rejected(5), lockedEvent(5)];
    const d = decideEnablePatron(enable, givenRegistered(...history), facts(), NOW);
    expect(d.events).toEqual([enabled()]);
    expect(givenRegistered(...history, ...d.events).pin.locked).toBe(true);
  });

  it("refuses an unknown patron", () => {
    expect(decideEnablePatron(enable, given(), facts(), NOW)).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
  });
});

describe("25 Patron Enable with a PIN", () => {
  const withPin = (pinMatches: boolean) => ({ ...enable, pinMatches });
  const pinFacts = () => ({ ...facts(), pinPolicy: { maxConsecutiveWrongPins: 3, lockMinutes: null } });

  it("the right PIN enables", () => {
    const d = decideEnablePatron(withPin(true), givenRegistered(blockedEvent(false, "x")), pinFacts(), NOW);
    expect(d).toMatchObject({ outcome: "accepted", events: [enabled()] });
  });

  it("a wrong PIN refuses the enable and still records the failure", () => {
    const d = decideEnablePatron(withPin(false), givenRegistered(blockedEvent(false, "x")), pinFacts(), NOW);
    expect(d).toEqual({ outcome: "refused", reason: "pin_invalid", events: [rejected(1)] });
  });

  it("a locked PIN refuses the enable, the right PIN included", () => {
    const state = givenRegistered(blockedEvent(false, "x"), rejected(3), lockedEvent(3));
    expect(decideEnablePatron(withPin(true), state, pinFacts(), NOW)).toEqual({ outcome: "refused", reason: "pin_locked", events: [] });
  });
});

describe("staff unblock (UnblockPatron over the admin API): the rule of 25 without a PIN", () => {
  const unblock = (staff = "jdoe", reason = "fines paid"): UnblockPatron => ({ type: "UnblockPatron", patron: PATRON, staff, reason });

  it("lifts a kiosk's or staff's block, recording who (trimmed) and why", () => {
    expect(decideUnblockPatron(unblock(" asmith ", " paid "), givenRegistered(blockedEvent(true, "card kept"))).events).toEqual([enabled("asmith", "paid")]);
    expect(decideUnblockPatron(unblock(), givenRegistered(blockedBy(false, "owes", "", "jdoe"))).events).toEqual([enabled("jdoe", "fines paid")]);
    expect(givenRegistered(blockedEvent(true, "x"), enabled("jdoe", "")).block).toBeNull();
  });

  it("a patron who is not blocked changes nothing", () => {
    expect(decideUnblockPatron(unblock(), givenRegistered())).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("lifts only the block: a lost card and a PIN lock stay", () => {
    const history = [cardLost(), blockedEvent(false, "x"), rejected(5), lockedEvent(5)];
    const d = decideUnblockPatron(unblock(), givenRegistered(...history));
    const after = givenRegistered(...history, ...d.events);
    expect(after).toMatchObject({ block: null, cardLost: true, pin: { locked: true } });
  });

  it("refuses without a staff name, and an unknown patron", () => {
    expect(decideUnblockPatron(unblock("  "), givenRegistered(blockedEvent(false, "x")))).toMatchObject({ outcome: "refused", reason: "staff_required", events: [] });
    expect(decideUnblockPatron(unblock(), given())).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
  });
});
