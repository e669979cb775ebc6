import { domainEvent, loan } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { type CheckinFacts, decideCheckin } from "./checkin.decider.js";
import { checkedOut, checkin, expectAccepted, expectRefused, given, item, NOW, renewed, TERMS, TIME, terminal } from "../domain/loan.fixtures.js";

const at = (iso: string) => new Date(iso);
const facts = (overrides: Partial<CheckinFacts> = {}): CheckinFacts => ({ item: item(), terminal: terminal(), time: TIME, ...overrides });

// The fixture loan is due Sat 15 March 2025, 23:59:59 CET; the library is closed on Sundays.
describe("checkin of an item on loan", () => {
  it("closes the loan, naming the patron who had it and carrying the fine policy for the fee service", () => {
    const when = new Date("2025-03-14T09:00:00Z");
    const { events, data } = expectAccepted(decideCheckin(checkin(), given(checkedOut()), facts(), when));
    expect(events).toEqual([
      domainEvent("ItemCheckedIn", {
        loanId: "loan-1",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        institutionId: "main",
        title: "The Name of the Rose",
        titleId: "t-1",
        patronId: "p-ann",
        patron: { institutionId: "main", barcode: "21000001" },
        checkedOutAt: at("2025-03-01T09:00:00.000Z"),
        dueAt: at("2025-03-15T22:59:59.000Z"),
        returnedAt: when,
        checkedInAt: when,
        renewalCount: 0,
        overdueDays: 0,
        overdueOpenDays: 0,
        finePolicy: TERMS.finePolicy,
        terminalAccount: "kiosk-1",
        location: "Main desk",
        channel: loan.LoanChannel.TERMINAL,
        offline: false,
        closedByOfflineCheckout: false,
        timeZone: "Europe/Berlin",
      }),
    ]);
    expect(data).toEqual({
      kind: "returned",
      patronId: "p-ann",
      patronBarcode: "21000001",
      dueAt: "2025-03-15T22:59:59.000Z",
      overdue: false,
      alerts: [],
      title: "The Name of the Rose",
      mediaType: "001",
      magneticMedia: false,
      permanentLocation: "Main / Fiction",
      offline: false,
    });
  });

  it("computes overdue days against the return date, counting open days apart", () => {
    // Returned Tue 18 March: Sun (closed), Mon, Tue → 3 days late, 2 of them open.
    const { events, data } = expectAccepted(decideCheckin(checkin(), given(checkedOut()), facts(), new Date("2025-03-18T10:00:00Z")));
    expect(events[0]).toMatchObject({ data: { overdueDays: 3, overdueOpenDays: 2, finePolicy: { graceDays: 1 } } });
    expect(data.overdue).toBe(true);
  });

  it("a backdated return (book drop) before the due date is not overdue although it is checked in late", () => {
    const command = checkin({ returnedAt: new Date("2025-03-15T20:00:00Z") });
    const { events } = expectAccepted(decideCheckin(command, given(checkedOut()), facts(), new Date("2025-03-17T08:00:00Z")));
    expect(events[0]).toMatchObject({ data: { returnedAt: at("2025-03-15T20:00:00.000Z"), checkedInAt: at("2025-03-17T08:00:00.000Z"), overdueDays: 0 } });
  });

  it("does not accept a return date in the future", () => {
    const { events } = expectAccepted(decideCheckin(checkin({ returnedAt: new Date("2025-03-20T00:00:00Z") }), given(checkedOut()), facts(), NOW));
    expect(events[0]).toMatchObject({ data: { returnedAt: NOW } });
  });

  it("does not accept a return date before the loan began", () => {
    const { events } = expectAccepted(decideCheckin(checkin({ returnedAt: new Date("2025-02-01T00:00:00Z") }), given(checkedOut()), facts(), NOW));
    expect(events[0]).toMatchObject({ data: { returnedAt: at("2025-03-01T09:00:00.000Z") } });
  });

  it("carries the renewal count of the loan it closes", () => {
    const { events } = expectAccepted(decideCheckin(checkin(), given(checkedOut(), renewed()), facts(), NOW));
    expect(events[0]).toMatchObject({ data: { renewalCount: 1, dueAt: at("2025-03-22T22:59:59.000Z") } });
  });

  it("alerts when a lost item comes back", () => {
    const { data } = expectAccepted(decideCheckin(checkin(), given(checkedOut()), facts({ item: item({ state: "lost" }) }), NOW));
    expect(data.alerts).toEqual(["lost_item_returned"]);
  });

  it("alerts when an item is returned to another institution than its owner", () => {
    const { data } = expectAccepted(decideCheckin(checkin({ institutionId: "branch" }), given(checkedOut()), facts(), NOW));
    expect(data.alerts).toEqual(["returned_to_other_institution"]);
  });
});

describe("checkin of an item not on loan", () => {
  it("succeeds with an alert, and records the scan for the item service: a checkin without a loan", () => {
    const { events, data } = expectAccepted(decideCheckin(checkin(), given(), facts({ item: item({ state: "missing" }) }), NOW));
    expect(events).toEqual([
      domainEvent("ItemCheckedIn", {
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        institutionId: "main",
        title: "The Name of the Rose",
        titleId: "t-1",
        checkedInAt: NOW,
        returnedAt: NOW,
        terminalAccount: "kiosk-1",
        location: "Main desk",
        channel: loan.LoanChannel.TERMINAL,
        offline: false,
        timeZone: "Europe/Berlin",
      }),
    ]);
    expect(data).toMatchObject({ kind: "not_on_loan", patronId: null, dueAt: null, overdue: false });
    expect(data.alerts).toEqual(["not_on_loan", "missing_item_returned"]);
  });

  it("succeeds after the loan was already checked in (a second scan)", () => {
    const first = expectAccepted(decideCheckin(checkin(), given(checkedOut()), facts(), NOW));
    const { data } = expectAccepted(decideCheckin(checkin(), given(checkedOut(), ...first.events), facts(), NOW));
    expect(data.kind).toBe("not_on_loan");
  });
});

describe("checkin refusals", () => {
  it("refuses an unknown item", () => {
    expectRefused(decideCheckin(checkin(), given(), facts({ item: { found: false, barcode: "x" } }), NOW), "item_not_found");
  });

  it("refuses an unknown item even with no block: there is nothing to record", () => {
    const f = facts({ item: { found: false, barcode: "x" }, terminal: terminal({ noBlock: true }) });
    expectRefused(decideCheckin(checkin(), given(), f, NOW), "item_not_found");
  });
});

describe("checkin with no block (offline kiosk)", () => {
  it("is marked offline and dated at the kiosk's transaction date", () => {
    const command = checkin({ transactionAt: new Date("2025-03-11T09:00:00Z") });
    const { events, data } = expectAccepted(decideCheckin(command, given(checkedOut()), facts({ terminal: terminal({ noBlock: true }) }), NOW));
    expect(events[0]).toMatchObject({ data: { offline: true, returnedAt: at("2025-03-11T09:00:00.000Z") } });
    expect(data.offline).toBe(true);
  });

  it("prefers the return date over the transaction date", () => {
    const command = checkin({ returnedAt: new Date("2025-03-10T09:00:00Z"), transactionAt: new Date("2025-03-11T09:00:00Z") });
    const { events } = expectAccepted(decideCheckin(command, given(checkedOut()), facts({ terminal: terminal({ noBlock: true }) }), NOW));
    expect(events[0]).toMatchObject({ data: { returnedAt: at("2025-03-10T09:00:00.000Z") } });
  });

  it("an online checkin ignores the kiosk's transaction date", () => {
    const command = checkin({ transactionAt: new Date("2025-03-11T09:00:00Z") });
    const { events } = expectAccepted(decideCheckin(command, given(checkedOut()), facts(), NOW));
    expect(events[0]).toMatchObject({ data: { offline: false, returnedAt: NOW } });
  });
});
