import { describe, expect, it } from "vitest";
import { given, INSTITUTION, key, placed, TITLE, trapped } from "../domain/hold.fixtures.js";
import { positionOf } from "../domain/index.js";
import { decideResumeHold, decideSuspendHold } from "./suspend-hold.decider.js";

const history = [placed("h-1", "P1"), placed("h-2", "P2"), placed("h-3", "P3", { expiresAt: "2025-05-01T00:00:00Z" })];
const ref = (patron: string) => ({ patronKey: key(patron), institution: INSTITUTION, titleKey: TITLE, holdId: null });

describe("SuspendHold / ResumeHold", () => {
  it("suspends a waiting hold without losing its place, and resumes it", () => {
    const s = decideSuspendHold({ ...ref("P1"), until: null }, given(...history));
    expect(s.events).toEqual([{ type: "HoldSuspended", data: { holdId: "h-1", until: undefined } }]);
    const suspended = given(...history, ...s.events);
    expect(positionOf(suspended, "h-1")).toBe(1);
    expect(suspended.holds[0]?.suspended).toEqual({ until: null });
    expect(decideResumeHold(ref("P1"), suspended).events).toEqual([{ type: "HoldResumed", data: { holdId: "h-1" } }]);
    expect(decideResumeHold(ref("P2"), suspended).events).toEqual([]);
  });

  it("refuses to suspend a hold whose copy is already trapped", () => {
    expect(decideSuspendHold({ ...ref("P1"), until: null }, given(...history, trapped("h-1", "P1", "I1")))).toMatchObject({
      reason: "hold_already_trapped",
    });
  });
});
