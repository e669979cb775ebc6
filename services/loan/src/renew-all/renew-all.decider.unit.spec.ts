import { describe, expect, it } from "vitest";
import type { HoldFacts, ItemFacts } from "../domain/facts.js";
import { checkedOut, expectAccepted, expectRefused, given, holds, item, itemRef, NOW, OTHER_PATRON, patron, renewed, TIME, terminal } from "../domain/loan.fixtures.js";
import { type LoanState, streamOf } from "../domain/loan.state.js";
import { decideRenewAll, type PatronLoanFacts, type RenewAllFacts } from "./renew-all.decider.js";

const command = { type: "RenewAllLoans", institutionId: "main", patronBarcode: "21000001" } as const;
const DUE_IN_14_DAYS = "2025-03-26T22:59:59.000Z";

function loan(barcode: string, state: LoanState = given(checkedOut({ item: itemRef(barcode) })), extra: { holds?: HoldFacts; item?: ItemFacts } = {}): PatronLoanFacts {
  return { itemBarcode: barcode, state, item: extra.item ?? item({ barcode }), holds: extra.holds ?? holds(), time: TIME };
}

const facts = (loans: PatronLoanFacts[], overrides: Partial<RenewAllFacts> = {}): RenewAllFacts => ({
  patron: patron(),
  terminal: terminal(),
  loans,
  ...overrides,
});

describe("renew all", () => {
  it("renews every renewable loan and reports the others with a reason each", () => {
    const loans = [
      loan("A"),
      loan("B", given(checkedOut({ item: itemRef("B") }), renewed({ item: itemRef("B"), renewalCount: 1 }), renewed({ item: itemRef("B"), renewalCount: 2 }))),
      loan("C", undefined, { holds: holds({ someoneElseWaiting: true }) }),
      loan("D"),
    ];
    const { events, data } = expectAccepted(decideRenewAll(command, facts(loans), NOW));
    expect(data).toEqual({
      renewed: [
        { itemBarcode: "A", dueAt: DUE_IN_14_DAYS, renewals: 1 },
        { itemBarcode: "D", dueAt: DUE_IN_14_DAYS, renewals: 1 },
      ],
      unrenewed: [
        { itemBarcode: "B", reason: "renewal_limit" },
        { itemBarcode: "C", reason: "hold_pending" },
      ],
    });
    expect(events).toMatchObject([
      { type: "LoanRenewed", data: { item: { barcode: "A" }, viaRenewAll: true, viaCheckout: false, offline: false } },
      { type: "LoanRenewed", data: { item: { barcode: "D" }, viaRenewAll: true, viaCheckout: false, offline: false } },
    ]);
  });

  it("emits each renewal for its own item's stream", () => {
    const { events } = expectAccepted(decideRenewAll(command, facts([loan("A"), loan("B")]), NOW));
    expect(events.map(streamOf)).toEqual(["loan-main-A", "loan-main-B"]);
  });

  it("reports a loan that is no longer the patron's as unrenewed", () => {
    const loans = [loan("A", given()), loan("B", given(checkedOut({ item: itemRef("B"), patronId: OTHER_PATRON })))];
    expect(expectAccepted(decideRenewAll(command, facts(loans), NOW)).data.unrenewed).toEqual([
      { itemBarcode: "A", reason: "item_not_on_loan" },
      { itemBarcode: "B", reason: "item_on_loan_to_other" },
    ]);
  });

  it("a patron without renewal privileges gets every item back unrenewed, with the reason", () => {
    const { events, data } = expectAccepted(decideRenewAll(command, facts([loan("A"), loan("B")], { patron: patron({ standing: { blocked: true } }) }), NOW));
    expect(events).toEqual([]);
    expect(data.unrenewed).toEqual([
      { itemBarcode: "A", reason: "patron_blocked" },
      { itemBarcode: "B", reason: "patron_blocked" },
    ]);
  });

  it("a patron with no loans renews nothing, successfully", () => {
    expect(expectAccepted(decideRenewAll(command, facts([]), NOW)).data).toEqual({ renewed: [], unrenewed: [] });
  });

  it("is always judged online: a no-block flag on the terminal does not bypass the rules", () => {
    const state = given(checkedOut({ item: itemRef("A") }), renewed({ item: itemRef("A"), renewalCount: 1 }), renewed({ item: itemRef("A"), renewalCount: 2 }));
    const f = facts([loan("A", state)], { terminal: terminal({ noBlock: true }) });
    expect(expectAccepted(decideRenewAll(command, f, NOW)).data.unrenewed).toEqual([{ itemBarcode: "A", reason: "renewal_limit" }]);
  });
});

describe("renew all refusals", () => {
  it("refuses an unknown patron", () => {
    expectRefused(decideRenewAll(command, facts([loan("A")], { patron: { found: false, barcode: "x" } }), NOW), "patron_not_found");
  });

  it("refuses a wrong PIN", () => {
    expectRefused(decideRenewAll(command, facts([loan("A")], { patron: patron({ pin: "wrong" }) }), NOW), "pin_invalid");
  });

  it("refuses a locked PIN", () => {
    expectRefused(decideRenewAll(command, facts([loan("A")], { patron: patron({ pin: "locked" }) }), NOW), "pin_locked");
  });

  it("refuses when the terminal does not allow renewals", () => {
    expectRefused(decideRenewAll(command, facts([loan("A")], { terminal: terminal({ renewalPolicyAllows: false }) }), NOW), "renewal_not_allowed");
  });
});
