import { describe, expect, it } from "vitest";
import { aRecord, given, givenRegistered, PATRON, PATRON_ID, RECORD_FACTS, ZONE } from "../domain/patron.fixtures.js";
import { type PatronRecord, patronDetails, patronRefOf } from "../domain/patron.record.js";
import { patronEvent } from "../domain/unpublished-fields.js";
import { decideUpdatePatron } from "./update-patron.decider.js";

const update = (record: PatronRecord) => ({ type: "UpdatePatron", patron: PATRON, record }) as const;

describe("UpdatePatron (import)", () => {
  it("records the new record and names the changed fields", () => {
    const record = aRecord({ email: null, expiryDate: "2027-03-31" });
    expect(decideUpdatePatron(update(record), givenRegistered(), RECORD_FACTS).events).toEqual([
      patronEvent("PatronDetailsUpdated", {
        patronId: PATRON_ID,
        patron: patronRefOf(PATRON),
        ...patronDetails(record, ZONE),
        record,
        changed: ["expiryDate", "email"],
      }),
    ]);
  });

  it("is idempotent: updating with identical data emits nothing", () => {
    expect(decideUpdatePatron(update(aRecord()), givenRegistered(), RECORD_FACTS)).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("applies: the state holds the new record afterwards", () => {
    const record = aRecord({ name: "Augusta Ada King" });
    const d = decideUpdatePatron(update(record), givenRegistered(), RECORD_FACTS);
    expect(givenRegistered(...d.events).record).toEqual(record);
  });

  it("refuses an unknown patron and an invalid record", () => {
    expect(decideUpdatePatron(update(aRecord()), given(), RECORD_FACTS)).toMatchObject({ outcome: "refused", reason: "patron_not_found" });
    expect(decideUpdatePatron(update(aRecord({ language: "1" })), givenRegistered(), RECORD_FACTS)).toMatchObject({
      outcome: "refused",
      reason: "invalid_record",
    });
  });
});
