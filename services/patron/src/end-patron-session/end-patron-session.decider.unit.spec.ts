import { describe, expect, it } from "vitest";
import { decideEndPatronSession } from "./end-patron-session.decider.js";
import { given, givenRegistered, PATRON } from "../domain/patron.fixtures.js";

describe("35 End Patron Session", () => {
  const end = { type: "EndPatronSession", patron: PATRON } as const;

  it("is accepted without any event: nothing depends on a message that may never come", () => {
    expect(decideEndPatronSession(end, givenRegistered())).toEqual({ outcome: "accepted", events: [], data: undefined });
  });

  it("is accepted for an unknown barcode too, so the kiosk shows no error", () => {
    expect(decideEndPatronSession(end, given())).toEqual({ outcome: "accepted", events: [], data: undefined });
  });
});
