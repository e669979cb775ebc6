import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { circulatedSinceImport, decideImportLoan, type ImportFacts, type ImportLoan } from "./import-loan.decider.js";
import { checkedOut, CURRENCY, expectAccepted, expectRefused, given, holds, item, NOW, OTHER_PATRON, patron, RULE, renew, TERMS, TIME, terminal } from "../domain/loan.fixtures.js";
import { initialState } from "../domain/loan.state.js";
import { decideRenew } from "../renew/renew.decider.js";

const record = (overrides: Partial<ImportLoan> = {}): ImportLoan => ({
  type: "ImportLoan",
  loanId: "loan-9",
  loanedAt: new Date("2025-02-10T10:00:00.000Z"),
  dueAt: new Date("2025-03-02T22:59:59.000Z"),
  renewals: 1,
  ...overrides,
});
const facts = (overrides: Partial<ImportFacts> = {}): ImportFacts => ({
  patron: { patronId: "p-ann", institutionId: "main", barcode: "21000001", patronType: "adult" },
  item: item(),
  rule: RULE,
  currency: CURRENCY,
  circulatedSinceImport: false,
  ...overrides,
});

describe("import loan", () => {
  it("puts the item on loan with the record's dates and renewals, under the rule that applies now", () => {
    const { events, data } = expectAccepted(decideImportLoan(record(), initialState(), facts()));
    expect(data).toEqual({ kind: "imported" });
    expect(events).toEqual([
      domainEvent("LoanImported", {
        loanId: "loan-9",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        title: "The Name of the Rose",
        titleId: "t-1",
        patronId: "p-ann",
        patron: { institutionId: "main", barcode: "21000001" },
        patronType: "adult",
        itemType: "book",
        checkedOutAt: new Date("2025-02-10T10:00:00.000Z"),
        dueAt: new Date("2025-03-02T22:59:59.000Z"),
        renewalCount: 1,
        terms: TERMS,
      }),
    ]);
    expect(given(...events)).toMatchObject({
      status: "on_loan",
      loan: { loanId: "loan-9", patronId: "p-ann", dueAt: new Date("2025-03-02T22:59:59.000Z"), renewals: 1, offline: false, terminalAccount: "" },
      cancellable: null,
    });
  });

  it("an imported overdue loan renews under its rule like any other loan (renewals counted)", () => {
    const state = given(...expectAccepted(decideImportLoan(record({ renewals: 2 }), initialState(), facts())).events);
    expectRefused(decideRenew(renew(), state, { patron: patron(), item: item(), holds: holds(), terminal: terminal(), time: TIME }, NOW), "renewal_limit");
  });

  it("importing the same record again changes nothing", () => {
    const state = given(...expectAccepted(decideImportLoan(record(), initialState(), facts())).events);
    const { events, data } = expectAccepted(decideImportLoan(record(), state, facts()));
    expect(events).toEqual([]);
    expect(data).toEqual({ kind: "unchanged" });
  });

  it("a re-run with other dates replaces the patron's loan dates rather than adding a loan", () => {
    const state = given(...expectAccepted(decideImportLoan(record(), initialState(), facts())).events);
    const later = record({ loanId: "loan-10", dueAt: new Date("2025-03-03T22:59:59.000Z") });
    const { events, data } = expectAccepted(decideImportLoan(later, state, facts()));
    expect(data).toEqual({ kind: "updated" });
    expect(given(...[...expectAccepted(decideImportLoan(record(), initialState(), facts())).events, ...events])).toMatchObject({
      loan: { loanId: "loan-9", dueAt: new Date("2025-03-03T22:59:59.000Z") },
    });
  });

  it("skips an item on loan to someone else: the import never takes an item from a borrower", () => {
    const state = given(checkedOut({ patronId: OTHER_PATRON }));
    expectRefused(decideImportLoan(record(), state, facts()), "item_on_loan_to_other");
  });

  it("skips a record whose patron or item is unknown", () => {
    expectRefused(decideImportLoan(record(), initialState(), facts({ patron: null })), "patron_not_found");
    expectRefused(decideImportLoan(record(), initialState(), facts({ item: { found: false, barcode: "x" } })), "item_not_found");
  });

  it("skips a record for an item that circulated here since the import, even one that matches the open loan", () => {
    const state = given(...expectAccepted(decideImportLoan(record(), initialState(), facts())).events);
    expectRefused(decideImportLoan(record(), state, facts({ circulatedSinceImport: true })), "circulation_since_import");
    expectRefused(decideImportLoan(record(), initialState(), facts({ circulatedSinceImport: true })), "circulation_since_import");
  });

  it("an import ends circulation; any other last event of the stream is circulation since it", () => {
    expect(circulatedSinceImport(null)).toBe(false);
    expect(circulatedSinceImport("LoanImported")).toBe(false);
    for (const type of ["ItemCheckedIn", "ItemCheckedOut", "LoanRenewed", "CheckoutCancelled", "CheckinCancelled", "RenewalCancelled"] as const) {
      expect(circulatedSinceImport(type)).toBe(true);
    }
  });
});
