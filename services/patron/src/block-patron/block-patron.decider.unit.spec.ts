import { describe, expect, it } from "vitest";
import { type BlockPatron, decideBlock, decideBlockPatron } from "./block-patron.decider.js";
import { blockedBy, facts, given, givenRegistered, NOW, PATRON } from "../domain/patron.fixtures.js";

const block = (cardRetained: boolean, message: string): BlockPatron => ({
  type: "BlockPatron",
  patron: PATRON,
  cardRetained,
  message,
  terminalAccount: "kiosk1",
  staff: "",
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
    expect(givenRegistered(blockedEvent(true, "old"), ...d.events).block).toEqual({ cardRetained: true, message: "new", terminalAccount: "kiosk1", staff: "" });
  });

  it("refuses an unknown patron", () => {
    expect(decideBlockPatron(block(false, "x"), given(), facts(), NOW)).toEqual({
      outcome: "refused",
      reason: "patron_not_found",
      events: [],
    });
  });
});

describe("staff block (BlockPatron over the admin API): the rule of 01", () => {
  const byStaff = (message: string, staff = "jdoe"): BlockPatron => ({ type: "BlockPatron", patron: PATRON, cardRetained: false, message, terminalAccount: "", staff });

  it("blocks with the staff member's reason, naming the staff member (trimmed) and no terminal", () => {
    const d = decideBlock(byStaff("owes for a lost laptop", " jdoe "), givenRegistered());
    expect(d.events).toEqual([blockedBy(false, "owes for a lost laptop", "", "jdoe")]);
    expect(givenRegistered(...d.events).block).toEqual({ cardRetained: false, message: "owes for a lost laptop", terminalAccount: "", staff: "jdoe" });
  });

  it("blocking again with the same reason changes nothing, whoever asks; another reason replaces it", () => {
    const state = givenRegistered(blockedBy(false, "owes", "", "jdoe"));
    expect(decideBlock(byStaff("owes", "asmith"), state)).toMatchObject({ outcome: "accepted", events: [] });
    expect(decideBlock(byStaff("abusive", "asmith"), state).events).toEqual([blockedBy(false, "abusive", "", "asmith")]);
  });

  it("a staff reason replaces a kiosk's block message, which then no longer names the kiosk", () => {
    const state = givenRegistered(blockedBy(true, "card kept", "kiosk1"));
    const d = decideBlock(byStaff("called the patron"), state);
    expect(givenRegistered(blockedBy(true, "card kept", "kiosk1"), ...d.events).block).toMatchObject({ terminalAccount: "", staff: "jdoe" });
  });

  it("refuses an unknown patron", () => {
    expect(decideBlock(byStaff("x"), given())).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
  });
});
