import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import type { PatronStanding } from "../domain/facts.js";
import { loanTerms } from "../domain/loan-rules.js";
import { checkedOut, CURRENCY, expectAccepted, expectRefused, given, holds, item, NOW, OTHER_PATRON, patron, RULE, renew, renewed, TIME, terminal } from "../domain/loan.fixtures.js";
import { decideRenew, type RenewFacts, type RenewRefusalReason } from "./renew.decider.js";

const facts = (overrides: Partial<RenewFacts> = {}): RenewFacts => ({
  patron: patron(),
  item: item(),
  holds: holds(),
  terminal: terminal(),
  time: TIME,
  ...overrides,
});
// Ann's loan is due Sat 15 March; NOW is Wed 12 March; 14 days from NOW = Wed 26 March.
const onLoan = () => given(checkedOut());
const DUE_IN_14_DAYS = "2025-03-26T22:59:59.000Z";
const at = (iso: string) => new Date(iso);

describe("renew", () => {
  it("renews the patron's loan, counting the new period from now, not from the old due date", () => {
    const { events, data } = expectAccepted(decideRenew(renew(), onLoan(), facts(), NOW));
    expect(events).toEqual([
      domainEvent("LoanRenewed", {
        loanId: "loan-1",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        patronId: "p-ann",
        previousDueAt: at("2025-03-15T22:59:59.000Z"),
        dueAt: at(DUE_IN_14_DAYS),
        renewalCount: 1,
        renewedAt: NOW,
        terminalAccount: "kiosk-1",
        offline: false,
        viaCheckout: false,
        viaRenewAll: false,
      }),
    ]);
    expect(data).toEqual({
      patronId: "p-ann",
      itemBarcode: "31000001",
      dueAt: DUE_IN_14_DAYS,
      renewals: 1,
      title: "The Name of the Rose",
      mediaType: "001",
      magneticMedia: false,
      offline: false,
    });
  });

  it("never sets a due date earlier than the current one", () => {
    const state = given(checkedOut({ dueAt: at("2025-04-30T21:59:59.000Z") }));
    expect(expectAccepted(decideRenew(renew(), state, facts(), NOW)).data.dueAt).toBe("2025-04-30T21:59:59.000Z");
  });

  it("renews on the terms of the loan's own rule snapshot", () => {
    const state = given(checkedOut({ terms: loanTerms({ ...RULE, period: { unit: "days", length: 7 } }, CURRENCY) }));
    expect(expectAccepted(decideRenew(renew(), state, facts(), NOW)).data.dueAt).toBe("2025-03-19T22:59:59.000Z");
  });

  it("a renewed due date never falls on a closed day", () => {
    // Renewed Mon 10 March + 14 = Mon 24 March, a holiday → Tue 25 March.
    const { data } = expectAccepted(decideRenew(renew(), given(checkedOut({ dueAt: at("2025-03-10T22:59:59.000Z") })), facts(), new Date("2025-03-10T10:00:00Z")));
    expect(data.dueAt).toBe("2025-03-25T22:59:59.000Z");
  });

  it("renews an overdue loan from now, so it is no longer overdue", () => {
    const { data } = expectAccepted(decideRenew(renew(), given(checkedOut({ dueAt: at("2025-03-08T22:59:59.000Z") })), facts(), NOW));
    expect(data.dueAt).toBe(DUE_IN_14_DAYS);
  });

  it("renews although the patron is at the loan limit: a renewal adds no item", () => {
    expectAccepted(decideRenew(renew(), onLoan(), facts({ patron: patron({ standing: { tooManyCharged: true } }) }), NOW));
  });
});

describe("renew refusals", () => {
  it("refuses at the renewal limit", () => {
    const state = given(checkedOut(), renewed({ renewalCount: 1 }), renewed({ renewalCount: 2 }));
    expectRefused(decideRenew(renew(), state, facts(), NOW), "renewal_limit");
  });

  it("renews below the renewal limit", () => {
    expect(expectAccepted(decideRenew(renew(), given(checkedOut(), renewed()), facts(), NOW)).data.renewals).toBe(2);
  });

  it("refuses when others wait for the title", () => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ holds: holds({ someoneElseWaiting: true, titleQueueLength: 1 }) }), NOW), "hold_pending");
  });

  it("refuses when another patron has an item-level hold on this copy", () => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ holds: holds({ itemLevelHoldPatrons: [OTHER_PATRON] }) }), NOW), "hold_pending");
  });

  it("renews when the only hold on the title is the borrower's own", () => {
    expectAccepted(decideRenew(renew(), onLoan(), facts({ holds: holds({ titleQueueLength: 1, itemLevelHoldPatrons: ["p-ann"] }) }), NOW));
  });

  const privileges: [string, Partial<PatronStanding>, RenewRefusalReason][] = [
    ["refuses renewal to a blocked patron", { blocked: true }, "patron_blocked"],
    ["refuses renewal on a card reported lost", { cardLost: true }, "card_lost"],
    ["refuses renewal to an expired patron", { expired: true }, "patron_expired"],
    ["refuses renewal to a patron over the overdue limit", { tooManyOverdue: true }, "overdue_limit"],
    ["refuses renewal to a patron whose fines are over the limit", { excessiveFines: true }, "fines_over_limit"],
  ];
  it.each(privileges)("%s", (_name, standing, reason) => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ patron: patron({ standing }) }), NOW), reason);
  });

  it("refuses renewal of an item reported lost", () => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ item: item({ state: "lost" }) }), NOW), "item_lost");
  });

  it("refuses renewal of an item claimed returned", () => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ item: item({ state: "claimed_returned" }) }), NOW), "item_claimed_returned");
  });

  it("refuses an item not on loan", () => {
    expectRefused(decideRenew(renew(), given(), facts(), NOW), "item_not_on_loan");
  });

  it("refuses an item on loan to someone else", () => {
    expectRefused(decideRenew(renew(), given(checkedOut({ patronId: OTHER_PATRON })), facts(), NOW), "item_on_loan_to_other");
  });

  it("refuses when the terminal does not allow renewals", () => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ terminal: terminal({ renewalPolicyAllows: false }) }), NOW), "renewal_not_allowed");
  });

  it("refuses an unknown patron, an unknown item, a wrong or locked PIN", () => {
    expectRefused(decideRenew(renew(), onLoan(), facts({ patron: { found: false, barcode: "x" } }), NOW), "patron_not_found");
    expectRefused(decideRenew(renew(), onLoan(), facts({ item: { found: false, barcode: "x" } }), NOW), "item_not_found");
    expectRefused(decideRenew(renew(), onLoan(), facts({ patron: patron({ pin: "wrong" }) }), NOW), "pin_invalid");
    expectRefused(decideRenew(renew(), onLoan(), facts({ patron: patron({ pin: "locked" }) }), NOW), "pin_locked");
  });
});

describe("renew with no block (offline kiosk)", () => {
  const offline = (kioskDueDate: Date | null = null) => terminal({ noBlock: true, renewalPolicyAllows: false, kioskDueDate });

  it("applies an offline renewal past the limit, for a blocked patron, with others waiting; marked offline", () => {
    const state = given(checkedOut(), renewed({ renewalCount: 1 }), renewed({ renewalCount: 2 }));
    const f = facts({ terminal: offline(), patron: patron({ standing: { blocked: true } }), holds: holds({ someoneElseWaiting: true }) });
    const { events } = expectAccepted(decideRenew(renew(), state, f, NOW));
    expect(events).toMatchObject([{ type: "LoanRenewed", data: { offline: true, renewalCount: 3, viaCheckout: false, viaRenewAll: false } }]);
  });

  it("keeps the kiosk's due date", () => {
    const { data } = expectAccepted(decideRenew(renew(), onLoan(), facts({ terminal: offline(new Date("2025-03-28T22:59:59Z")) }), NOW));
    expect(data.dueAt).toBe("2025-03-28T22:59:59.000Z");
  });

  it("does not let a kiosk's due date shorten the loan", () => {
    const state = given(checkedOut({ dueAt: at("2025-04-30T21:59:59.000Z") }));
    const { data } = expectAccepted(decideRenew(renew(), state, facts({ terminal: offline(new Date("2025-03-28T22:59:59Z")) }), NOW));
    expect(data.dueAt).toBe("2025-04-30T21:59:59.000Z");
  });

  it("dates the renewal at the kiosk's transaction date", () => {
    const { events } = expectAccepted(decideRenew(renew({ transactionAt: new Date("2025-03-11T10:00:00Z") }), onLoan(), facts({ terminal: offline() }), NOW));
    expect(events[0]).toMatchObject({ data: { renewedAt: at("2025-03-11T10:00:00.000Z"), dueAt: at("2025-03-25T22:59:59.000Z") } });
  });

  it("still refuses an item that is not the patron's loan: there is nothing to renew", () => {
    expectRefused(decideRenew(renew(), given(), facts({ terminal: offline() }), NOW), "item_not_on_loan");
    expectRefused(decideRenew(renew(), given(checkedOut({ patronId: OTHER_PATRON })), facts({ terminal: offline() }), NOW), "item_on_loan_to_other");
  });
});
