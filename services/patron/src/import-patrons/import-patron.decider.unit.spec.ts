import { describe, expect, it } from "vitest";
import { decideImportBlock, decideImportPatron, type ImportPatron } from "./import-patron.decider.js";
import {
  aRecord,
  blockedBy,
  enabled,
  given,
  givenRegistered,
  PATRON,
  PATRON_ID,
  pinChanged,
  RECORD_FACTS,
  registered,
} from "../domain/patron.fixtures.js";
import type { PatronRecord } from "../domain/patron.record.js";

const importing = (overrides: Partial<ImportPatron> = {}, record: PatronRecord = aRecord()): ImportPatron => ({
  type: "ImportPatron",
  patron: PATRON,
  patronId: PATRON_ID,
  record,
  newPinHash: null,
  blockReason: "",
  ...overrides,
});

describe("ImportPatron (UpsertPatrons)", () => {
  it("creates an unknown patron with its PIN and block in one decision", () => {
    const d = decideImportPatron(importing({ newPinHash: "scrypt$h", blockReason: "lost books" }), given(), RECORD_FACTS);
    expect(d).toMatchObject({ outcome: "accepted", data: { change: "created" } });
    expect(d.events).toEqual([
      registered(),
      pinChanged("scrypt$h"),
      blockedBy(false, "lost books", ""),
    ]);
  });

  it("is idempotent: the same record, PIN kept and block unchanged, writes nothing", () => {
    const state = givenRegistered(blockedBy(false, "lost books", ""));
    expect(decideImportPatron(importing({ blockReason: "lost books" }), state, RECORD_FACTS)).toMatchObject({
      outcome: "accepted",
      events: [],
      data: { change: "unchanged" },
    });
  });

  it("replaces changed fields of a known patron", () => {
    const d = decideImportPatron(importing({}, aRecord({ name: "Ada King" })), givenRegistered(), RECORD_FACTS);
    expect(d).toMatchObject({ data: { change: "updated" }, events: [{ type: "PatronDetailsUpdated", data: { name: "Ada King", changed: ["name"] } }] });
  });

  it("refuses an invalid record", () => {
    expect(decideImportPatron(importing({}, aRecord({ name: "" })), given(), RECORD_FACTS)).toMatchObject({
      outcome: "refused",
      reason: "invalid_record",
    });
  });
});

describe("import blocks", () => {
  it("an empty reason lifts a block an import set", () => {
    expect(decideImportBlock("", givenRegistered(blockedBy(false, "old", "")))).toEqual([enabled()]);
  });

  it("never lifts or rewrites a block a kiosk set (01): only 25 or staff do", () => {
    const state = givenRegistered(blockedBy(true, "card kept", "kiosk1"));
    expect(decideImportBlock("", state)).toEqual([]);
    expect(decideImportBlock("other reason", state)).toEqual([]);
  });

  it("never lifts or rewrites a block staff set here (BlockPatron): the source system knows nothing of it", () => {
    const state = givenRegistered(blockedBy(false, "owes for a lost laptop", "", "jdoe"));
    expect(decideImportBlock("", state)).toEqual([]);
    expect(decideImportBlock("other reason", state)).toEqual([]);
  });

  it("a new reason replaces the import's old one", () => {
    expect(decideImportBlock("new", givenRegistered(blockedBy(false, "old", "")))).toEqual([blockedBy(false, "new", "")]);
  });
});
