import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { decideCheckout } from "../checkout/checkout.decider.js";
import { checkedOut, checkin, checkout, checkoutFacts, expectAccepted, expectRefused, given, item, NOW, renewed, TIME, terminal } from "../domain/loan.fixtures.js";
import { type LoanState, evolve } from "../domain/loan.state.js";
import { type CheckinFacts, decideCheckin } from "./checkin.decider.js";

const checkinFacts = (): CheckinFacts => ({ item: item(), terminal: terminal(), time: TIME });
const apply = (state: LoanState, events: readonly DomainEvent<"loan">[]) => events.reduce(evolve, state);
const at = (iso: string) => new Date(iso);
const LATER = new Date("2025-03-12T10:00:05Z");

describe("cancel (BI = Y): a checkin that cancels the last checkout", () => {
  it("removes a new loan as if it never happened", () => {
    const lent = given();
    const out = expectAccepted(decideCheckout(checkout(), lent, checkoutFacts(), NOW)).events;
    const { events, data } = expectAccepted(decideCheckin(checkin({ cancel: true }), apply(lent, out), checkinFacts(), LATER));
    expect(events).toEqual([
      domainEvent("CheckoutCancelled", {
        loanId: "loan-2",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        patronId: "p-ann",
        patron: { institutionId: "main", barcode: "21000001" },
        checkedOutAt: NOW,
        dueAt: at("2025-03-26T22:59:59.000Z"),
        cancelledAt: LATER,
        terminalAccount: "kiosk-1",
      }),
    ]);
    expect(data).toMatchObject({ kind: "checkout_cancelled", patronId: "p-ann", dueAt: null });
    expect(apply(apply(lent, out), events)).toEqual(given());
  });

  it("gives a checkout-renewal back its old due date and renewal count", () => {
    const lent = given(checkedOut());
    const out = expectAccepted(decideCheckout(checkout(), lent, checkoutFacts(), NOW)).events;
    const { events, data } = expectAccepted(decideCheckin(checkin({ cancel: true }), apply(lent, out), checkinFacts(), LATER));
    expect(events).toMatchObject([
      { type: "RenewalCancelled", data: { dueAt: at("2025-03-15T22:59:59.000Z"), renewals: 0, cancelledDueAt: at("2025-03-26T22:59:59.000Z") } },
    ]);
    expect(data).toMatchObject({ kind: "renewal_cancelled", dueAt: "2025-03-15T22:59:59.000Z" });
    expect(apply(apply(lent, out), events)).toMatchObject({ status: "on_loan", loan: { dueAt: at("2025-03-15T22:59:59.000Z"), renewals: 0 } });
  });

  it("refuses when the item is not on loan", () => {
    expectRefused(decideCheckin(checkin({ cancel: true }), given(), checkinFacts(), LATER), "nothing_to_cancel");
  });

  it("refuses when the last transaction was a renewal by Renew, not a checkout", () => {
    expectRefused(decideCheckin(checkin({ cancel: true }), given(checkedOut(), renewed()), checkinFacts(), LATER), "nothing_to_cancel");
  });

  it("refuses a second cancel once the checkout was reversed", () => {
    const state = given(checkedOut(), renewed({ viaCheckout: true }));
    const first = expectAccepted(decideCheckin(checkin({ cancel: true }), state, checkinFacts(), LATER));
    expectRefused(decideCheckin(checkin({ cancel: true }), apply(state, first.events), checkinFacts(), LATER), "nothing_to_cancel");
  });

  it("refuses for an unknown item", () => {
    const facts = { ...checkinFacts(), item: { found: false, barcode: "x" } as const };
    expectRefused(decideCheckin(checkin({ cancel: true }), given(checkedOut()), facts, LATER), "item_not_found");
  });
});
