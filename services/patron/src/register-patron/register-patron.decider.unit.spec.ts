import { describe, expect, it } from "vitest";
import { aRecord, given, givenRegistered, PATRON, PATRON_ID, RECORD_FACTS, registered } from "../domain/patron.fixtures.js";
import type { PatronRecord } from "../domain/patron.record.js";
import { decideRegisterPatron } from "./register-patron.decider.js";

const register = (record: PatronRecord) => ({ type: "RegisterPatron", patron: PATRON, patronId: PATRON_ID, record }) as const;

describe("RegisterPatron (import)", () => {
  it("registers a new patron with its identity and record", () => {
    expect(decideRegisterPatron(register(aRecord()), given(), RECORD_FACTS)).toEqual({
      outcome: "accepted",
      events: [registered()],
      data: undefined,
    });
  });

  it("is idempotent: registering the same data again emits nothing", () => {
    expect(decideRegisterPatron(register(aRecord()), givenRegistered(), RECORD_FACTS)).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("refuses to register an existing barcode with different data (that is an update)", () => {
    expect(decideRegisterPatron(register(aRecord({ name: "Someone Else" })), givenRegistered(), RECORD_FACTS)).toMatchObject({
      outcome: "refused",
      reason: "patron_already_registered",
    });
  });

  it("refuses an invalid record and says why", () => {
    const cases: [Partial<PatronRecord>, RegExp][] = [
      [{ name: " " }, /name/],
      [{ patronType: "" }, /patron type/],
      [{ homeInstitution: "" }, /home institution/],
      [{ expiryDate: "31/03/2026" }, /expiry/],
      [{ birthDate: "1815-02-30" }, /birth/],
      [{ language: "en" }, /language/],
    ];
    for (const [overrides, why] of cases) {
      const d = decideRegisterPatron(register(aRecord(overrides)), given(), RECORD_FACTS);
      expect(d).toMatchObject({ outcome: "refused", reason: "invalid_record" });
      expect(d.outcome === "refused" && d.detail).toMatch(why);
    }
  });

  it("keeps only record fields: extra properties on the input never reach the event", () => {
    const noisy = { ...aRecord(), password: "hunter2" } as PatronRecord;
    const d = decideRegisterPatron(register(noisy), given(), RECORD_FACTS);
    expect(JSON.stringify(d.events)).not.toContain("hunter2");
  });
});
