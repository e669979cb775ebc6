import { describe, expect, it } from "vitest";
import { aPolicy, aUsage, cardFound, cardLost, given, givenRegistered, NOW, PATRON, ZONE } from "../domain/patron.fixtures.js";
import { decideReportCardFound, decideReportCardLost } from "./report-card-lost.decider.js";
import { standing } from "../domain/standing.js";

const lost = { type: "ReportCardLost", patron: PATRON, staff: "jdoe" } as const;
const found = { type: "ReportCardFound", patron: PATRON, staff: "jdoe" } as const;

describe("card reported lost", () => {
  it("reporting the card lost records CardReportedLost and the standing then names card_lost", () => {
    const d = decideReportCardLost(lost, givenRegistered());
    expect(d.events).toEqual([cardLost("jdoe")]);
    const after = givenRegistered(...d.events);
    expect(standing(after, aPolicy(), aUsage(), NOW, ZONE).reasons).toEqual(["card_lost"]);
  });

  it("reporting it lost twice changes nothing", () => {
    expect(decideReportCardLost(lost, givenRegistered(cardLost()))).toMatchObject({
      outcome: "accepted",
      events: [],
    });
  });

  it("a found card clears the cause; a card that was not lost changes nothing", () => {
    expect(decideReportCardFound(found, givenRegistered(cardLost())).events).toEqual([cardFound("jdoe")]);
    expect(decideReportCardFound(found, givenRegistered()).events).toEqual([]);
  });

  it("records who reported or found the card, without surrounding blanks", () => {
    expect(decideReportCardLost({ ...lost, staff: " asmith  " }, givenRegistered()).events).toEqual([cardLost("asmith")]);
    expect(decideReportCardFound({ ...found, staff: " asmith  " }, givenRegistered(cardLost())).events).toEqual([cardFound("asmith")]);
  });

  it("refuses an unknown patron", () => {
    expect(decideReportCardLost(lost, given())).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
    expect(decideReportCardFound(found, given())).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
  });
});
