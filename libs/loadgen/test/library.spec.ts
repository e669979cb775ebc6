import { planImport } from "@circulate/import";
import { describe, expect, it } from "vitest";
import { generateLibrary, itemBarcode, KioskShare, libraryJson, patronBarcode } from "../src/library.js";

describe("generated library", () => {
  it("numbers patrons L000001… and items LI0000001…, widening past the padding", () => {
    expect([patronBarcode(0), patronBarcode(41), patronBarcode(999_999)]).toEqual(["L000001", "L000042", "L1000000"]);
    expect([itemBarcode(0), itemBarcode(9_999_999)]).toEqual(["LI0000001", "LI10000000"]);
  });

  it("is the same for the same seed; the seed changes names, never barcodes", () => {
    const a = generateLibrary({ patrons: 50, items: 50, seed: 7 });
    expect(generateLibrary({ patrons: 50, items: 50, seed: 7 })).toEqual(a);
    const b = generateLibrary({ patrons: 50, items: 50, seed: 8 });
    expect(b.patrons.map((p) => p.barcode)).toEqual(a.patrons.map((p) => p.barcode));
    expect(b.patrons.map((p) => p.name)).not.toEqual(a.patrons.map((p) => p.name));
  });

  it("is a valid circulate-import document: MAIN and EAST, PIN 1234, available books at MAIN", () => {
    const doc = JSON.parse(libraryJson(generateLibrary({ patrons: 30, items: 200 })));
    const plan = planImport({ document: doc }, { now: new Date("2025-03-01T12:00:00Z") });
    expect(plan.institutions.patron.map((i) => i.institutionId)).toEqual(["MAIN", "EAST"]);
    expect(plan.patrons).toHaveLength(30);
    expect(plan.items).toHaveLength(200);
    expect(plan.patrons.every((p) => p.record.pin === "1234" && p.record.patron?.institutionId === "MAIN")).toBe(true);
    expect(plan.patrons[0]!.record.expiresAt!.getTime()).toBeGreaterThan(Date.parse("2027-01-01"));
    expect(plan.items.every((i) => i.item?.institutionId === "MAIN" && i.state === "ITEM_STATE_AVAILABLE" && i.itemType === "book")).toBe(true);
    expect(plan.loanRules.map((r) => [r.institutionId, r.itemType, r.loanPeriodMinutes])).toEqual([
      ["MAIN", "book", 14 * 1440],
      ["EAST", "book", 14 * 1440],
    ]);
  });

  it("writes one record per line", () => {
    const text = libraryJson(generateLibrary({ patrons: 3, items: 4 }));
    expect(text.split("\n").filter((l) => l.includes('"barcode":"LI'))).toHaveLength(4);
    expect(text.split("\n").filter((l) => l.includes('"barcode":"L0'))).toHaveLength(3);
  });

  it("refuses impossible sizes", () => {
    expect(() => generateLibrary({ patrons: -1, items: 1 })).toThrow(RangeError);
    expect(() => generateLibrary({ patrons: 1, items: 1.5 })).toThrow(RangeError);
  });
});

describe("kiosk shares", () => {
  it("split the indexes into disjoint shares that cover them all", () => {
    const seen: number[] = [];
    for (let k = 0; k < 4; k++) {
      const share = new KioskShare(k, 4, 10);
      for (let i = 0; i < share.size; i++) seen.push(share.next());
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("hand out a share round-robin, starting again after the last", () => {
    const share = new KioskShare(1, 3, 8);
    expect(Array.from({ length: 5 }, () => share.next())).toEqual([1, 4, 7, 1, 4]);
  });

  it("can be empty, and then refuse to hand out anything", () => {
    const share = new KioskShare(5, 8, 3);
    expect(share.size).toBe(0);
    expect(() => share.next()).toThrow(RangeError);
  });
});
