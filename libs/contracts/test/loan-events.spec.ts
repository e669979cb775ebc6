import { describe, expect, it } from "vitest";
import { type AnyEvent, isLoanEvent, loan, loanAfter } from "../src/index.js";

const current = loan.Loan.fromPartial({ loanId: "L1", patronId: "p1", item: { institutionId: "MAIN", barcode: "I1" } });

describe("the item's loan after a loan event", () => {
  it("is the loan the event carries", () => {
    const e = { type: "LoanRenewed", event: loan.LoanRenewed.fromPartial({ loanId: "L1", current }) } as const;
    expect(loanAfter(e)).toEqual(current);
  });

  it("is none after a checkin or a cancelled checkout", () => {
    expect(loanAfter({ type: "ItemCheckedIn", event: loan.ItemCheckedIn.fromPartial({ loanId: "L1" }) })).toBeNull();
    expect(loanAfter({ type: "CheckoutCancelled", event: loan.CheckoutCancelled.fromPartial({ loanId: "L1" }) })).toBeNull();
  });

  it("says when an event that always leaves a loan was stored before events carried it", () => {
    expect(loanAfter({ type: "ItemCheckedOut", event: loan.ItemCheckedOut.fromPartial({ loanId: "L1" }) })).toBe("stored before current");
  });

  it("tells loan events from others", () => {
    expect(isLoanEvent({ type: "LoanRecalled", event: loan.LoanRecalled.fromPartial({}) })).toBe(true);
    expect(isLoanEvent({ type: "PinFailed", event: {} } as unknown as AnyEvent)).toBe(false);
  });
});
