import { describe, expect, it } from "vitest";
import { checkedOut, given, RULE, renewed } from "./loan.fixtures.js";
import type { ItemCheckedIn } from "./loan.events.js";
import { LOAN_EVENT_TYPES, loanStreamId, streamOf } from "./loan.events.js";
import { initialState } from "./loan.state.js";

const checkedIn: ItemCheckedIn = {
  type: "ItemCheckedIn",
  institutionId: "main",
  itemBarcode: "31000001",
  terminalId: "kiosk-1",
  patronId: "p-ann",
  patronBarcode: "21000001",
  loanedAt: "2025-03-01T09:00:00.000Z",
  dueAt: "2025-03-15T22:59:59.000Z",
  returnedAt: "2025-03-10T08:00:00.000Z",
  checkedInAt: "2025-03-10T08:00:00.000Z",
  renewals: 0,
  overdue: false,
  overdueDays: 0,
  overdueOpenDays: 0,
  fine: RULE.fine,
  offline: false,
  location: "Main desk",
  closedBy: "checkin",
};

const loanOfAnn = {
  institutionId: "main",
  itemBarcode: "31000001",
  patronId: "p-ann",
  patronBarcode: "21000001",
  loanedAt: "2025-03-01T09:00:00.000Z",
  dueAt: "2025-03-15T22:59:59.000Z",
  renewals: 0,
  rule: RULE,
  offline: false,
};

describe("loan state", () => {
  it("an item with no history is not on loan and has nothing to cancel", () => {
    expect(initialState()).toEqual({ status: "none", cancellable: null });
  });

  it("a checkout puts the item on loan, cancellable", () => {
    expect(given(checkedOut())).toEqual({ status: "on_loan", loan: loanOfAnn, cancellable: { kind: "checkout" } });
  });

  it("a renewal by checkout moves the due date and remembers the old one for a cancel", () => {
    expect(given(checkedOut(), renewed({ via: "checkout" }))).toEqual({
      status: "on_loan",
      loan: { ...loanOfAnn, dueAt: "2025-03-22T22:59:59.000Z", renewals: 1 },
      cancellable: { kind: "checkout_renewal", previousDueAt: "2025-03-15T22:59:59.000Z", previousRenewals: 0 },
    });
  });

  it("a renewal by Renew or Renew All cannot be cancelled", () => {
    expect(given(checkedOut(), renewed({ via: "renew" })).cancellable).toBeNull();
    expect(given(checkedOut(), renewed({ via: "renew_all" })).cancellable).toBeNull();
  });

  it("a checkin closes the loan and remembers it, so a cancel can restore it", () => {
    expect(given(checkedOut(), checkedIn)).toEqual({
      status: "none",
      cancellable: { kind: "checkin", closedLoan: loanOfAnn, returnedAt: "2025-03-10T08:00:00.000Z" },
    });
  });

  it("a cancelled checkin restores the loan with its old due date, and cannot be cancelled again", () => {
    const restored = given(checkedOut(), renewed(), checkedIn, {
      type: "CheckInCancelled",
      institutionId: "main",
      itemBarcode: "31000001",
      terminalId: "kiosk-1",
      patronId: "p-ann",
      patronBarcode: "21000001",
      loanedAt: loanOfAnn.loanedAt,
      dueAt: "2025-03-22T22:59:59.000Z",
      renewals: 1,
      rule: RULE,
      loanOffline: false,
      cancelledReturnedAt: "2025-03-10T08:00:00.000Z",
      cancelledAt: "2025-03-10T08:00:05.000Z",
    });
    expect(restored).toEqual({ status: "on_loan", loan: { ...loanOfAnn, dueAt: "2025-03-22T22:59:59.000Z", renewals: 1 }, cancellable: null });
  });

  it("a cancelled checkout removes the loan as if it never happened", () => {
    const cancelled = given(checkedOut(), {
      type: "CheckOutCancelled",
      institutionId: "main",
      itemBarcode: "31000001",
      terminalId: "kiosk-1",
      patronId: "p-ann",
      patronBarcode: "21000001",
      loanedAt: loanOfAnn.loanedAt,
      dueAt: loanOfAnn.dueAt,
      cancelledAt: "2025-03-01T09:00:05.000Z",
    });
    expect(cancelled).toEqual(initialState());
  });

  it("a cancelled checkout-renewal restores the old due date and renewal count", () => {
    const state = given(checkedOut(), renewed({ via: "checkout" }), {
      type: "RenewalCancelled",
      institutionId: "main",
      itemBarcode: "31000001",
      terminalId: "kiosk-1",
      patronId: "p-ann",
      dueAt: "2025-03-15T22:59:59.000Z",
      renewals: 0,
      cancelledDueAt: "2025-03-22T22:59:59.000Z",
      cancelledAt: "2025-03-08T10:00:05.000Z",
    });
    expect(state).toEqual({ status: "on_loan", loan: loanOfAnn, cancellable: null });
  });

  it("a checkin of an item not on loan leaves nothing to cancel", () => {
    const state = given(checkedOut(), checkedIn, {
      type: "ItemCheckedInNotOnLoan",
      institutionId: "main",
      itemBarcode: "31000001",
      terminalId: "kiosk-2",
      checkedInAt: "2025-03-10T09:00:00.000Z",
      returnedAt: "2025-03-10T09:00:00.000Z",
      itemState: "available",
      offline: false,
      location: "",
    });
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

  it("lists every event type for contracts and subscribers", () => {
    expect(LOAN_EVENT_TYPES).toHaveLength(8);
  });
});
