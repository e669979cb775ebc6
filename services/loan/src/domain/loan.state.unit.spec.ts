import { domainEvent, loan } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { checkedOut, given, itemRef, patronRef, renewed, TERMS } from "./loan.fixtures.js";
import { currentLoan, initialState, type Loan, loanStreamId, streamOf } from "./loan.state.js";

const at = (iso: string) => new Date(iso);

const checkedIn = domainEvent("ItemCheckedIn", {
  loanId: "loan-1",
  itemId: "item-1",
  item: itemRef(),
  institutionId: "main",
  patronId: "p-ann",
  patron: patronRef(),
  checkedOutAt: at("2025-03-01T09:00:00.000Z"),
  dueAt: at("2025-03-15T22:59:59.000Z"),
  returnedAt: at("2025-03-10T08:00:00.000Z"),
  checkedInAt: at("2025-03-10T08:00:00.000Z"),
  finePolicy: TERMS.finePolicy,
  terminalAccount: "kiosk-1",
  location: "Main desk",
});

const loanOfAnn: Loan = {
  loanId: "loan-1",
  itemId: "item-1",
  item: itemRef(),
  title: "The Name of the Rose",
  titleId: "t-1",
  patronId: "p-ann",
  patron: patronRef(),
  loanedAt: at("2025-03-01T09:00:00.000Z"),
  dueAt: at("2025-03-15T22:59:59.000Z"),
  renewals: 0,
  terms: TERMS,
  offline: false,
  terminalAccount: "kiosk-1",
};

describe("loan state", () => {
  it("an item with no history is not on loan and has nothing to cancel", () => {
    expect(initialState()).toEqual({ status: "none", cancellable: null });
  });

  it("a checkout puts the item on loan, cancellable", () => {
    expect(given(checkedOut())).toEqual({ status: "on_loan", loan: loanOfAnn, cancellable: { kind: "checkout" } });
  });

  it("a renewal by checkout moves the due date and remembers the old one for a cancel", () => {
    expect(given(checkedOut(), renewed({ viaCheckout: true }))).toEqual({
      status: "on_loan",
      loan: { ...loanOfAnn, dueAt: at("2025-03-22T22:59:59.000Z"), renewals: 1 },
      cancellable: { kind: "checkout_renewal", previousDueAt: at("2025-03-15T22:59:59.000Z"), previousRenewals: 0 },
    });
  });

  it("a renewal by Renew or Renew All cannot be cancelled", () => {
    expect(given(checkedOut(), renewed()).cancellable).toBeNull();
    expect(given(checkedOut(), renewed({ viaRenewAll: true })).cancellable).toBeNull();
  });

  it("a checkin closes the loan and remembers it, so a cancel can restore it", () => {
    expect(given(checkedOut(), checkedIn)).toEqual({
      status: "none",
      cancellable: { kind: "checkin", closedLoan: loanOfAnn, returnedAt: at("2025-03-10T08:00:00.000Z") },
    });
  });

  it("a cancelled checkin restores the loan with its old due date, and cannot be cancelled again", () => {
    const restored = given(
      checkedOut(),
      renewed(),
      checkedIn,
      domainEvent("CheckinCancelled", {
        loanId: "loan-1",
        itemId: "item-1",
        item: itemRef(),
        title: "The Name of the Rose",
        titleId: "t-1",
        patronId: "p-ann",
        patron: patronRef(),
        checkedOutAt: loanOfAnn.loanedAt,
        dueAt: at("2025-03-22T22:59:59.000Z"),
        renewalCount: 1,
        terms: TERMS,
        loanOffline: false,
        cancelledReturnedAt: at("2025-03-10T08:00:00.000Z"),
        cancelledAt: at("2025-03-10T08:00:05.000Z"),
        terminalAccount: "kiosk-2",
      }),
    );
    // The restored loan is still the one kiosk-1 lent: kiosk-2 only cancelled the checkin.
    expect(restored).toEqual({ status: "on_loan", loan: { ...loanOfAnn, dueAt: at("2025-03-22T22:59:59.000Z"), renewals: 1 }, cancellable: null });
  });

  it("a cancelled checkout removes the loan as if it never happened", () => {
    const cancelled = given(
      checkedOut(),
      domainEvent("CheckoutCancelled", {
        loanId: "loan-1",
        item: itemRef(),
        patronId: "p-ann",
        checkedOutAt: loanOfAnn.loanedAt,
        dueAt: loanOfAnn.dueAt,
        cancelledAt: at("2025-03-01T09:00:05.000Z"),
      }),
    );
    expect(cancelled).toEqual(initialState());
  });

  it("a cancelled checkout-renewal restores the old due date and renewal count", () => {
    const state = given(
      checkedOut(),
      renewed({ viaCheckout: true }),
      domainEvent("RenewalCancelled", {
        loanId: "loan-1",
        item: itemRef(),
        patronId: "p-ann",
        dueAt: at("2025-03-15T22:59:59.000Z"),
        renewals: 0,
        cancelledDueAt: at("2025-03-22T22:59:59.000Z"),
        cancelledAt: at("2025-03-08T10:00:05.000Z"),
      }),
    );
    expect(state).toEqual({ status: "on_loan", loan: loanOfAnn, cancellable: null });
  });

  it("a checkin of an item not on loan (no loan id) leaves nothing to cancel", () => {
    const state = given(
      checkedOut(),
      checkedIn,
      domainEvent("ItemCheckedIn", {
        item: itemRef(),
        institutionId: "main",
        checkedInAt: at("2025-03-10T09:00:00.000Z"),
        returnedAt: at("2025-03-10T09:00:00.000Z"),
        terminalAccount: "kiosk-2",
      }),
    );
    expect(state).toEqual(initialState());
  });

  it("an event that does not fit the state is ignored on replay rather than throwing", () => {
    expect(given(renewed())).toEqual(initialState());
  });
});

describe("loan streams", () => {
  it("one stream per item, named by its owning institution and barcode", () => {
    expect(loanStreamId("main", "31000001")).toBe("loan-main-31000001");
    expect(streamOf(checkedOut())).toBe("loan-main-31000001");
  });
});

describe("the loan every event carries (current)", () => {
  it("is the loan as the stream's state has it, with the renewals its terms still allow", () => {
    expect(currentLoan(given(checkedOut(), renewed()))).toEqual(
      loan.Loan.fromPartial({
        loanId: "loan-1",
        itemId: "item-1",
        item: itemRef(),
        patronId: "p-ann",
        patron: patronRef(),
        title: "The Name of the Rose",
        titleId: "t-1",
        checkedOutAt: loanOfAnn.loanedAt,
        dueAt: at("2025-03-22T22:59:59.000Z"),
        renewalCount: 1,
        terminalAccount: "kiosk-1",
        renewalsRemaining: 1,
      }),
    );
  });

  it("has no renewals remaining when the terms set no limit, and is unset once the item is not on loan", () => {
    expect(currentLoan(given(checkedOut({ terms: { ...TERMS, renewalLimit: undefined } })))?.renewalsRemaining).toBeUndefined();
    expect(currentLoan(given(checkedOut(), checkedIn))).toBeUndefined();
  });
});
