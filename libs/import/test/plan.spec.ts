import { readFileSync } from "node:fs";
import { common, hold, item } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { InvalidImportError, type ImportInput, planImport } from "../src/plan.js";

const demo = JSON.parse(readFileSync(new URL("../../../infra/demo/library.json", import.meta.url), "utf8")) as Record<string, unknown>;
// Wednesday 12 March 2025, 11:00 in New York (EDT).
const now = new Date("2025-03-12T15:00:00Z");

function problemsOf(input: ImportInput, options: { defaultTimeZone?: string } = {}): readonly string[] {
  try {
    planImport(input, { now, ...options });
  } catch (err) {
    if (err instanceof InvalidImportError) return err.problems;
    throw err;
  }
  return [];
}

const base = { institutions: [{ id: "MAIN", timeZone: "America/New_York", currency: "USD" }] };

describe("planImport on the demo library", () => {
  const plan = planImport({ document: demo }, { now });

  it("loads every section, with patrons and items keyed by institution and barcode", () => {
    expect(plan.institutions.patron.map((i) => i.institutionId)).toEqual(["MAIN", "EAST"]);
    expect(plan.patrons).toHaveLength(6);
    expect(plan.items).toHaveLength(10);
    expect(plan.patrons.find((p) => p.record.patron?.barcode === "P0006")?.record.patron?.institutionId).toBe("EAST");
    expect(plan.items.find((i) => i.item?.barcode === "I0010")?.owner).toBe("EAST");
  });

  it("reads relative dates in the institution's zone: due today-10 is the end of 2 March in New York", () => {
    const overdue = plan.loans.find((l) => l.item?.barcode === "I0005");
    expect(overdue?.dueAt?.toISOString()).toBe("2025-03-03T04:59:59.000Z");
    expect(overdue?.checkedOutAt?.toISOString()).toBe("2025-02-09T05:00:00.000Z");
    expect(plan.patrons.find((p) => p.record.patron?.barcode === "P0003")?.record.expiresAt?.toISOString()).toBe("2025-02-11T04:59:59.000Z");
  });

  it("finds the institution of a barcode in the input when a record leaves it out", () => {
    expect(plan.loans.find((l) => l.item?.barcode === "I0007")?.patron).toEqual({ institutionId: "EAST", barcode: "P0006" });
  });

  it("a copy-specific hold on the shelf traps its own copy", () => {
    const shelf = plan.holds.find((h) => h.externalId === "DEMO-H1");
    expect(shelf).toMatchObject({ holdType: common.HoldType.SPECIFIC_COPY, status: hold.HoldStatus.AVAILABLE, trappedItem: { institutionId: "MAIN", barcode: "I0006" } });
    expect(plan.holds.find((h) => h.externalId === "DEMO-H2")).toMatchObject({ status: hold.HoldStatus.WAITING, trappedItem: undefined });
  });

  it("amounts are minor units in the institution's currency: 12.50 owed in two charges", () => {
    expect(plan.charges.map((c) => c.outstanding)).toEqual([
      { currency: "USD", amountMinor: 750 },
      { currency: "USD", amountMinor: 500 },
    ]);
    expect(plan.patronTypes[0]?.limits?.feeLimit).toEqual({ currency: "USD", amountMinor: 1000 });
  });

  it("leaves the state of items out unless given, so a re-run keeps loans and holds", () => {
    expect(plan.items.find((i) => i.item?.barcode === "I0005")?.state).toBe(item.ItemState.UNSPECIFIED);
    expect(plan.items.find((i) => i.item?.barcode === "I0008")?.state).toBe(item.ItemState.MISSING);
  });

  it("carries contact data and the magnetic media flag: the DVD is magnetic, books are not, left out is unknown", () => {
    expect(plan.patrons.find((p) => p.record.patron?.barcode === "P0005")?.record).toMatchObject({
      email: "katherine@example.org",
      phone: "+1 212 555 0105",
      homeAddress: "210 Langley Boulevard, Hampton VA 23666",
    });
    expect(plan.items.find((i) => i.item?.barcode === "I0009")?.magneticMedia).toBe(true);
    expect(plan.items.find((i) => i.item?.barcode === "I0001")?.magneticMedia).toBe(false);
    const bare = planImport({ document: { ...base, items: [{ institution: "MAIN", barcode: "X1", title: "T", itemType: "book" }] } }, { now });
    expect(bare.items[0]?.magneticMedia).toBeUndefined();
  });

  it("gives the calendar's closed days to the fee service's institution too", () => {
    expect(plan.institutions.fee.find((i) => i.institutionId === "EAST")?.closedWeekdays).toEqual([0]);
  });
});

describe("planImport refuses invalid input whole, naming every record", () => {
  it("lists all problems at once", () => {
    const problems = problemsOf({
      document: {
        ...base,
        patrons: [
          { institution: "MAIN", barcode: "P1", patronType: "adult", expires: "soon" },
          { institution: "MAIN", barcode: "P1", name: "Twice", patronType: "adult", blockReson: "typo" },
        ],
      },
    });
    expect(problems).toEqual([
      "patrons[0] (MAIN/P1): name is required",
      expect.stringMatching(/^patrons\[0\] \(MAIN\/P1\): expires: "soon" is not a date/),
      'patrons[1] (MAIN/P1): unknown field "blockReson"',
      "patrons[1] (MAIN/P1): patron MAIN/P1 appears twice in the input",
    ]);
  });

  it("never repeats a PIN in a problem, even one given as a number", () => {
    const problems = problemsOf({ document: { ...base, patrons: [{ institution: "MAIN", barcode: "P1", name: "Ada", patronType: "adult", pin: 4711 }] } });
    expect(problems).toEqual(["patrons[0] (MAIN/P1): pin must be a string, got a number (not shown)"]);
  });

  it("refuses unknown sections and enum values, listing the allowed ones", () => {
    expect(problemsOf({ document: { ...base, patron: [] } })).toEqual([expect.stringMatching(/^unknown section "patron"/)]);
    const problems = problemsOf({ document: { ...base, items: [{ institution: "MAIN", barcode: "I1", title: "x", itemType: "book", state: "gone" }] } });
    expect(problems).toEqual([expect.stringMatching(/state: "gone" is not one of available, on_order, in_process, missing/)]);
  });

  it("needs the zone of an institution that is not in the document, unless a default zone is given", () => {
    const document = { patrons: [{ institution: "WEST", barcode: "P1", name: "n", patronType: "adult", expires: "today+1" }] };
    expect(problemsOf({ document })).toEqual([expect.stringMatching(/institution "WEST" is not in the document/)]);
    expect(problemsOf({ document }, { defaultTimeZone: "Europe/Oslo" })).toEqual([]);
  });

  it("needs the institution of a barcode the input does not know", () => {
    const problems = problemsOf({ document: { ...base, loans: [{ item: "I9", itemInstitution: "MAIN", patron: "P9", checkedOut: "today-1", due: "today" }] } });
    expect(problems).toEqual(["loans[0] (I9): patron P9 is not in the input: give patronInstitution"]);
  });

  it("refuses a due date before the checkout and a loan period given twice", () => {
    const problems = problemsOf({
      document: {
        ...base,
        loanRules: [{ institution: "MAIN", itemType: "book", loanPeriodDays: 21, loanPeriodHours: 3 }],
        loans: [{ item: "I1", itemInstitution: "MAIN", patron: "P1", patronInstitution: "MAIN", checkedOut: "today", due: "today-1" }],
      },
    });
    expect(problems).toEqual(["loanRules[0]: give exactly one of loanPeriodDays and loanPeriodHours", "loans[0] (I1): due must be after checkedOut"]);
  });

  it("refuses amounts with more decimals than the currency has, and non-positive charges", () => {
    const problems = problemsOf({
      document: { ...base, charges: [{ id: "C1", patron: "P1", patronInstitution: "MAIN", type: "overdue", amount: "1.005" }, { id: "C2", patron: "P1", patronInstitution: "MAIN", type: "overdue", amount: 0 }] },
    });
    expect(problems).toEqual([expect.stringMatching(/^charges\[0\] \(C1\): amount: .*more than 2 decimals/), "charges[1] (C2): amount must be more than zero"]);
  });

  it("merges CSV patrons with JSON ones and reports CSV rows by file and line", () => {
    const problems = problemsOf({
      document: { ...base, patrons: [{ institution: "MAIN", barcode: "P1", name: "A", patronType: "adult" }] },
      patronsCsv: { file: "patrons.csv", text: "institution,barcode,name,patronType\nMAIN,P2,B,adult\nMAIN,P1,C,adult\n" },
    });
    expect(problems).toEqual(["patrons.csv row 3 (MAIN/P1): patron MAIN/P1 appears twice in the input"]);
  });
});

describe("planImport: the PIN lock time of an institution", () => {
  const withLock = (pinLockMinutes: unknown) => ({ document: { institutions: [{ ...base.institutions[0], pinLockMinutes }] } });

  it("passes pinLockMinutes to the patron service; absent or null means the lock lasts until staff lift it", () => {
    expect(planImport(withLock(30), { now }).institutions.patron[0]?.pinLockMinutes).toBe(30);
    expect(planImport(withLock(null), { now }).institutions.patron[0]?.pinLockMinutes).toBeUndefined();
    expect(planImport({ document: base }, { now }).institutions.patron[0]?.pinLockMinutes).toBeUndefined();
  });

  it("refuses a lock time of 0 or a non-number, naming the field", () => {
    expect(problemsOf(withLock(0))).toEqual([expect.stringMatching(/pinLockMinutes must be at least 1/)]);
    expect(problemsOf(withLock("soon"))).toEqual([expect.stringMatching(/pinLockMinutes/)]);
  });
});
