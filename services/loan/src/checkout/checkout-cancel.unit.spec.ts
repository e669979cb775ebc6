import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { type CheckinFacts, decideCheckin } from "../checkin/checkin.decider.js";
import { decideCheckout } from "./checkout.decider.js";
import {
  checkedOut,
  checkin,
  checkout,
  checkoutFacts,
  expectAccepted,
  expectRefused,
  given,
  item,
  NOW,
  OTHER_PATRON,
  patron,
  renewed,
  TERMS,
  TIME,
  terminal,
} from "../domain/loan.fixtures.js";
import { type LoanState, evolve } from "../domain/loan.state.js";

const checkinFacts = (): CheckinFacts => ({ item: item(), terminal: terminal(), time: TIME });
const apply = (state: LoanState, events: readonly DomainEvent<"loan">[]) => events.reduce(evolve, state);
const at = (iso: string) => new Date(iso);
const LATER = new Date("2025-03-12T10:00:05Z");

describe("cancel (BI = Y): a checkout that cancels the last checkin", () => {
  const returned = () => {
    const loaned = given(checkedOut(), renewed());
    return apply(loaned, expectAccepted(decideCheckin(checkin(), loaned, checkinFacts(), NOW)).events);
  };

  it("restores the loan the checkin closed, with its old due date", () => {
    const { events, data } = expectAccepted(decideCheckout(checkout({ cancel: true }), returned(), checkoutFacts(), LATER));
    expect(events).toEqual([
      domainEvent("CheckinCancelled", {
        loanId: "loan-1",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        title: "The Name of the Rose",
        titleId: "t-1",
        patronId: "p-ann",
        patron: { institutionId: "main", barcode: "21000001" },
        checkedOutAt: at("2025-03-01T09:00:00.000Z"),
        dueAt: at("2025-03-22T22:59:59.000Z"),
        renewalCount: 1,
        terms: TERMS,
        loanOffline: false,
        cancelledReturnedAt: NOW,
        cancelledAt: LATER,
        terminalAccount: "kiosk-1",
      }),
    ]);
    expect(data).toMatchObject({ kind: "checkin_cancelled", renewalOk: false, dueAt: "2025-03-22T22:59:59.000Z" });
    expect(apply(returned(), events)).toMatchObject({ status: "on_loan", loan: { patronId: "p-ann", dueAt: at("2025-03-22T22:59:59.000Z"), renewals: 1 } });
  });

  it("restores it although the kiosk does not know the borrower", () => {
    expectAccepted(decideCheckout(checkout({ cancel: true }), returned(), checkoutFacts({ patron: { found: false, barcode: "" } }), LATER));
  });

  it("refuses to restore another patron's loan", () => {
    const facts = checkoutFacts({ patron: patron({ patronId: OTHER_PATRON }) });
    expectRefused(decideCheckout(checkout({ cancel: true }), returned(), facts, LATER), "nothing_to_cancel");
  });

  it("refuses when the item is on loan: the last transaction was not a checkin", () => {
    expectRefused(decideCheckout(checkout({ cancel: true }), given(checkedOut()), checkoutFacts(), LATER), "nothing_to_cancel");
  });

  it("refuses when the item has no history", () => {
    expectRefused(decideCheckout(checkout({ cancel: true }), given(), checkoutFacts(), LATER), "nothing_to_cancel");
  });

  it("refuses a second cancel: a checkin is reversed once", () => {
    const first = expectAccepted(decideCheckout(checkout({ cancel: true }), returned(), checkoutFacts(), LATER));
    expectRefused(decideCheckout(checkout({ cancel: true }), apply(returned(), first.events), checkoutFacts(), LATER), "nothing_to_cancel");
  });

  it("refuses when the last checkin found the item not on loan", () => {
    const state = apply(returned(), expectAccepted(decideCheckin(checkin(), returned(), checkinFacts(), NOW)).events);
    expectRefused(decideCheckout(checkout({ cancel: true }), state, checkoutFacts(), LATER), "nothing_to_cancel");
  });
});
