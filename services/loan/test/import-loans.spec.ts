import type { loan } from "@circulate/contracts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted } from "@circulate/service/testing";
import { DAY_MS, Harness, NOW } from "./harness.js";
import { ADA, checkin, itemRef, patronRef, renew, seedLibrary, streamOf } from "./library.js";

/** A loan from a previous system: lent 11 days before NOW, due 3 days after it. */
const record = (item: string, overrides: Partial<loan.LoanRecord> = {}): loan.LoanRecord => ({
  item: itemRef(item),
  patron: patronRef(ADA.barcode),
  checkedOutAt: new Date(NOW.getTime() - 11 * DAY_MS),
  dueAt: new Date(NOW.getTime() + 3 * DAY_MS),
  renewalCount: 0,
  ...overrides,
});

describe("admin ImportLoans, run again", () => {
  const h = new Harness();
  const importLoans = (loans: loan.LoanRecord[]) => h.call(h.loans.importLoans, { loans });
  const eventCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(h.service.db)).rows[0]!.n);

  beforeAll(async () => {
    await h.start();
    await seedLibrary(h);
  });
  afterAll(() => h.stop());

  it("the same records again write no event and are counted unchanged", async () => {
    for (const b of ["M1", "M2"]) h.world.item(b);
    const records = [record("M1"), record("M2")];
    expect(await importLoans(records)).toMatchObject({ imported: 2, unchanged: 0, skipped: 0 });
    const before = await eventCount();
    expect(await importLoans(records)).toEqual({ imported: 0, unchanged: 2, skipped: 0, skippedLoans: [] });
    expect(await eventCount()).toBe(before);
  });

  it("a changed record with no circulation since is applied as an update of the same loan", async () => {
    h.world.item("M3");
    await importLoans([record("M3")]);
    const later = new Date(NOW.getTime() + 4 * DAY_MS);
    expect(await importLoans([record("M3", { dueAt: later })])).toMatchObject({ imported: 1, skipped: 0 });
    expect((await h.stream(streamOf("M3"))).map((e) => e.type)).toEqual(["LoanImported", "LoanImported"]);
    expect((await h.loanRow("M3"))?.due_at).toEqual(later);
  });

  it("a loan checked in after its import is never reopened: the record is skipped and nothing is written", async () => {
    h.world.item("M4");
    await importLoans([record("M4")]);
    accepted(await h.send(checkin("M4")), "checkInItem");
    const before = await eventCount();

    const again = await importLoans([record("M4")]);
    expect(again).toEqual({
      imported: 0,
      unchanged: 0,
      skipped: 1,
      skippedLoans: [{ item: itemRef("M4"), patron: patronRef(ADA.barcode), reason: "circulation since import" }],
    });
    expect(await eventCount()).toBe(before);
    expect((await h.stream(streamOf("M4"))).map((e) => e.type)).toEqual(["LoanImported", "ItemCheckedIn"]);
    expect(await h.loanRow("M4")).toBeUndefined();
    // A changed record (a re-run on another day moves relative dates) is no different.
    expect(await importLoans([record("M4", { dueAt: new Date(NOW.getTime() + 9 * DAY_MS) })])).toMatchObject({ imported: 0, skipped: 1 });
    expect(await eventCount()).toBe(before);
  });

  it("a loan renewed after its import keeps the renewal: the import's older due date is not applied", async () => {
    h.world.item("M5");
    await importLoans([record("M5")]);
    const renewed = accepted(await h.send(renew(ADA.barcode, "M5")), "renewItem");
    const before = await eventCount();
    expect(await importLoans([record("M5")])).toMatchObject({ imported: 0, skipped: 1, skippedLoans: [{ reason: "circulation since import" }] });
    expect(await eventCount()).toBe(before);
    expect((await h.loanRow("M5"))?.due_at).toEqual(renewed.dueAt);
  });

  it("an item that circulated here before any import is not given the old system's loan", async () => {
    h.world.item("M6");
    accepted(await h.send(checkin("M6")), "checkInItem");
    const before = await eventCount();
    expect(await importLoans([record("M6")])).toMatchObject({ imported: 0, skipped: 1, skippedLoans: [{ reason: "circulation since import" }] });
    expect(await eventCount()).toBe(before);
  });
});

describe("admin UpsertCalendar, run again", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await seedLibrary(h);
  });
  afterAll(() => h.stop());

  it("tells a new calendar, a changed one and the same one again apart", async () => {
    const calendar = { institutionId: "MAIN", location: "", timeZone: "", closingTime: "", closedWeekdays: [0], closedDates: ["2025-12-25"] };
    expect(await h.call(h.loans.upsertCalendar, { calendar })).toMatchObject({ replaced: false, unchanged: false });
    expect(await h.call(h.loans.upsertCalendar, { calendar: { ...calendar, closedDates: ["2025-12-25", "2025-01-01"] } })).toMatchObject({
      replaced: true,
      unchanged: false,
    });
    expect(await h.call(h.loans.upsertCalendar, { calendar: { ...calendar, closedWeekdays: [0, 0], closedDates: ["2025-01-01", "2025-12-25"] } })).toMatchObject({
      replaced: false,
      unchanged: true,
    });
  });
});
