import { describe, expect, it } from "vitest";
import { decideImportItem, evolveImportHistory, type ImportedState } from "./import-item.decider.js";
import { domainEvent } from "@circulate/contracts";
import { aRecord, detailsUpdated, ELSEWHERE, given, givenIn, givenRegistered, HOME, ITEM, MAIN_DESK, registered, returnedAt } from "../domain/item.fixtures.js";
import type { ItemRecord } from "../domain/item.record.js";

const importing = (record: ItemRecord = aRecord(), state: ImportedState | null = null) =>
  ({ type: "ImportItem", item: ITEM, record, currentLocation: null, state }) as const;

describe("ImportItem (UpsertItems)", () => {
  it("registers a new barcode, available at home", () => {
    const d = decideImportItem(importing(), given());
    expect(d).toMatchObject({ outcome: "accepted", events: [registered()], data: { created: true } });
  });

  it("is idempotent: the same record and state again emit nothing", () => {
    const missing = { state: "missing" } as const;
    const first = decideImportItem(importing(aRecord(), missing), given());
    const again = decideImportItem(importing(aRecord(), missing), given(...first.events));
    expect(again).toMatchObject({ outcome: "accepted", events: [], data: { created: false } });
  });

  it("replaces the record of a known barcode", () => {
    const d = decideImportItem(importing(aRecord({ title: "New title" })), givenRegistered());
    expect(d.events).toEqual([detailsUpdated(aRecord({ title: "New title" }))]);
  });

  it("imports an item straight into missing, on loan, on the hold shelf or in transit", () => {
    const cases: [ImportedState, string][] = [
      [{ state: "missing" }, "missing"],
      [{ state: "on_loan" }, "on_loan"],
      [{ state: "on_hold_shelf", pickup: MAIN_DESK }, "on_hold_shelf"],
      [{ state: "in_transit", destination: ELSEWHERE }, "in_transit"],
      [{ state: "lost" }, "lost"],
      [{ state: "in_process" }, "in_process"],
    ];
    for (const [target, expected] of cases) {
      const d = decideImportItem(importing(aRecord(), target), given());
      expect(d.outcome, expected).toBe("accepted");
      const after = given(...d.events);
      expect(after.status === "registered" && after.circulation.state, expected).toBe(expected);
    }
  });

  it("puts an item imported on the hold shelf at its pickup location", () => {
    const d = decideImportItem(importing(aRecord(), { state: "on_hold_shelf", pickup: MAIN_DESK }), given());
    expect(given(...d.events)).toMatchObject({ currentLocation: MAIN_DESK, circulation: { state: "on_hold_shelf", pickup: MAIN_DESK } });
  });

  it("follows the transition rules: an item on loan is not imported as missing", () => {
    expect(decideImportItem(importing(aRecord(), { state: "missing" }), givenIn("on_loan"))).toMatchObject({
      outcome: "refused",
      reason: "item_on_loan",
      events: [],
    });
  });

  it("is all or nothing: a refused state change drops the record change too", () => {
    const d = decideImportItem(importing(aRecord({ title: "Other" }), { state: "available" }), givenIn("lost"));
    expect(d).toMatchObject({ outcome: "refused", reason: "item_lost", events: [] });
  });

  it("refuses an invalid record", () => {
    expect(decideImportItem(importing(aRecord({ owner: "" })), given())).toMatchObject({ outcome: "refused", reason: "invalid_record" });
    expect(decideImportItem(importing(aRecord({ owner: "" })), givenRegistered())).toMatchObject({ reason: "invalid_record" });
  });

  it("refuses a transit to where the item already is", () => {
    expect(decideImportItem(importing(aRecord(), { state: "in_transit", destination: HOME }), given())).toMatchObject({
      outcome: "refused",
      reason: "already_at_destination",
    });
  });

  it("ignores the record's state once the item circulated since its import, and still applies its fields", () => {
    const d = decideImportItem(importing(aRecord({ title: "New title" }), { state: "missing" }), givenRegistered(), { circulatedSinceImport: true });
    expect(d.events.map((e) => e.type)).toEqual(["ItemDetailsUpdated"]);
  });

  it("import history: a state change by the import starts it again, by anything else is circulation, record edits change nothing", () => {
    const fresh = { circulatedSinceImport: false };
    const returned = returnedAt(MAIN_DESK);
    expect(evolveImportHistory(fresh, returned, false)).toEqual({ circulatedSinceImport: true });
    expect(evolveImportHistory({ circulatedSinceImport: true }, returned, true)).toEqual(fresh);
    expect(evolveImportHistory({ circulatedSinceImport: true }, detailsUpdated(aRecord()), true)).toEqual({ circulatedSinceImport: true });
    // A type this service never records is not circulation either.
    expect(evolveImportHistory(fresh, domainEvent("ItemWithdrawn", { reason: "weeded" }), false)).toEqual(fresh);
  });
});
