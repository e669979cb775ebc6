import { describe, expect, it } from "vitest";
import { type BlockPatron, decideBlockPatron } from "./block-patron.decider.js";
import { blockedBy, facts, given, givenRegistered, NOW, PATRON } from "../domain/patron.fixtures.js";

const block = (cardRetained: boolean, message: string): BlockPatron => ({
  type: "BlockPatron",
  patron: PATRON,
  cardRetained,
  message,
  terminalAccount: "kiosk1",
});
const blockedEvent = (cardRetained: boolean, reason: string) => blockedBy(cardRetained, reason, "kiosk1");

describe("01 Block Patron", () => {
  it("blocks a known patron, keeping the card-retained flag and the blocked-card message", () => {
    const d = decideBlockPatron(block(true, "card left in machine"), givenRegistered(), facts(), NOW);
    expect(d.events).toEqual([blockedEvent(true, "card left in machine")]);
  });

  it("replies with the standing after the block: the four privileges denied", () => {
    const d = decideBlockPatron(block(false, "x"), givenRegistered(), facts(), NOW);
    expect(d).toMatchObject({ outcome: "accepted", data: { standing: { reasons: ["blocked"], valid: true } } });
    if (d.outcome !== "accepted") throw new Error("unreachable");
    expect(d.data.standing.flags).toMatchObject({
      chargePrivilegesDenied: true,
      renewalPrivilegesDenied: true,
      recallPrivilegesDenied: true,
      holdPrivilegesDenied: true,
    });
  });

  it("blocking again with the same flag and message changes nothing", () => {
    const d = decideBlockPatron(block(true, "m"), givenRegistered(blockedEvent(true, "m")), facts(), NOW);
    expect(d).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("blocking again with another message records the new message", () => {
    const d = decideBlockPatron(block(true, "new"), givenRegistered(blockedEvent(true, "old")), facts(), NOW);
    expect(d.events).toEqual([blockedEvent(true, "new")]);
    expect(givenRegistered(blockedEvent(true, "old"), ...d.events).block).toEqual({ cardRetained: true, message: "new", terminalAccount: "kiosk1" });
  });

  it("refuses an unknown patron", () => {
    expect(decideBlockPatron(block(false, "x"), given(), facts(), NOW)).toEqual({
      outcome: "refused",
      reason: "patron_not_found",
      events: [],
    });
  });
});
