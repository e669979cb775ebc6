import { domainEvent, loan } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { type CheckOutRefusalReason, decideCheckout } from "./checkout.decider.js";
import type { FoundItem, PatronStanding } from "../domain/facts.js";
import {
  checkedOut,
  checkout,
  checkoutFacts,
  expectAccepted,
  expectRefused,
  given,
  holds,
  item,
  NOW,
  OTHER_PATRON,
  patron,
  patronRef,
  RULE,
  renewed,
  TERMS,
  terminal,
} from "../domain/loan.fixtures.js";
import { NO_RULE } from "../domain/loan-rules.js";

// NOW is Wed 12 March 2025; a 14-day loan is due Wed 26 March 23:59:59 CET.
const DUE_IN_14_DAYS = "2025-03-26T22:59:59.000Z";
const due = (iso: string) => new Date(iso);

describe("checkout: a new loan", () => {
  it("lends an available item to a patron in good standing, due at the end of the rule's period", () => {
    // given no loan, when Ann checks out the book, then it is hers for 14 days
    const { events, data } = expectAccepted(decideCheckout(checkout(), given(), checkoutFacts(), NOW));
    expect(events).toEqual([
      domainEvent("ItemCheckedOut", {
        loanId: "loan-2",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        title: "The Name of the Rose",
        titleId: "t-1",
        patronId: "p-ann",
        patron: { institutionId: "main", barcode: "21000001" },
        checkedOutAt: NOW,
        dueAt: due(DUE_IN_14_DAYS),
        terminalAccount: "kiosk-1",
        location: "Main desk",
        channel: loan.LoanChannel.TERMINAL,
        patronType: "adult",
        itemType: "book",
        terms: TERMS,
        offline: false,
        dueDateFromTerminal: false,
        holdFulfilled: false,
      }),
    ]);
    expect(data).toEqual({
      kind: "checked_out",
      renewalOk: false,
      patronId: "p-ann",
      itemBarcode: "31000001",
      dueAt: DUE_IN_14_DAYS,
      title: "The Name of the Rose",
      mediaType: "001",
      magneticMedia: false,
      holdFulfilled: false,
      offline: false,
    });
  });

  it("moves a due date that would fall on a closed day to the next open day", () => {
    // Mon 10 March + 14 days = Mon 24 March, a closed holiday → Tue 25 March.
    const { data } = expectAccepted(decideCheckout(checkout(), given(), checkoutFacts(), new Date("2025-03-10T10:00:00Z")));
    expect(data.dueAt).toBe("2025-03-25T22:59:59.000Z");
  });

  it("an online checkout ignores the kiosk's clock and due date", () => {
    const facts = checkoutFacts({ terminal: terminal({ kioskDueDate: new Date("2025-04-30T10:00:00Z") }) });
    const { data, events } = expectAccepted(decideCheckout(checkout({ transactionAt: new Date("2025-03-01T10:00:00Z") }), given(), facts, NOW));
    expect(data.dueAt).toBe(DUE_IN_14_DAYS);
    expect(events[0]).toMatchObject({ data: { checkedOutAt: NOW } });
  });
});

describe("checkout refusals: the patron", () => {
  it("refuses an unknown patron", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ patron: { found: false, barcode: "x" } }), NOW), "patron_not_found");
  });

  it("refuses a wrong PIN", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ patron: patron({ pin: "wrong" }) }), NOW), "pin_invalid");
  });

  it("refuses a patron whose PIN is locked after too many wrong attempts", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ patron: patron({ pin: "locked" }) }), NOW), "pin_locked");
  });

  it("lends when no PIN was sent and the patron service did not check one", () => {
    expectAccepted(decideCheckout(checkout(), given(), checkoutFacts({ patron: patron({ pin: "not_checked" }) }), NOW));
  });

  const standingCases: [string, Partial<PatronStanding>, CheckOutRefusalReason][] = [
    ["refuses a blocked patron", { blocked: true }, "patron_blocked"],
    ["refuses a patron whose card is reported lost", { cardLost: true }, "card_lost"],
    ["refuses an expired patron", { expired: true }, "patron_expired"],
    ["refuses a patron over the overdue limit", { tooManyOverdue: true }, "overdue_limit"],
    ["refuses a patron whose fines are over the limit", { excessiveFines: true }, "fines_over_limit"],
    ["refuses a patron at the patron type's loan limit", { tooManyCharged: true }, "loan_limit"],
  ];
  it.each(standingCases)("%s", (_name, standing, reason) => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ patron: patron({ standing }) }), NOW), reason);
  });

  it("refuses a patron at the loan rule's max items", () => {
    const facts = checkoutFacts({ patron: patron({ chargedCount: RULE.maxItems }) });
    expectRefused(decideCheckout(checkout(), given(), facts, NOW), "loan_limit");
  });

  it("lends to a patron one item below the loan rule's max items", () => {
    expectAccepted(decideCheckout(checkout(), given(), checkoutFacts({ patron: patron({ chargedCount: RULE.maxItems - 1 }) }), NOW));
  });

  it("names the first failing rule: identity before PIN before standing", () => {
    const facts = checkoutFacts({ patron: patron({ pin: "wrong", standing: { blocked: true } }), item: { found: false, barcode: "x" } });
    expectRefused(decideCheckout(checkout(), given(), facts, NOW), "item_not_found");
    expectRefused(decideCheckout(checkout(), given(), { ...facts, item: item() }, NOW), "pin_invalid");
  });
});

describe("checkout refusals: the item", () => {
  it("refuses an unknown item", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ item: { found: false, barcode: "x" } }), NOW), "item_not_found");
  });

  it("refuses a non-circulating item (reference, in-library use)", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ item: item({ nonCirculating: true }) }), NOW), "item_not_circulating");
  });

  it("refuses an item whose loan rule says it does not circulate", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ rule: { ...RULE, circulates: false } }), NOW), "item_not_circulating");
  });

  it("refuses an item no loan rule covers", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ rule: NO_RULE }), NOW), "item_not_circulating");
  });

  it("refuses an item on loan to someone else", () => {
    expectRefused(decideCheckout(checkout(), given(checkedOut({ patronId: OTHER_PATRON })), checkoutFacts(), NOW), "item_on_loan_to_other");
  });

  const stateCases: [string, FoundItem["state"], CheckOutRefusalReason][] = [
    ["refuses a missing item", "missing", "item_missing"],
    ["refuses a lost item", "lost", "item_lost"],
    ["refuses an item in transit", "in_transit", "item_in_transit"],
    ["refuses an item claimed returned", "claimed_returned", "item_claimed_returned"],
    ["refuses an item in process", "in_process", "item_in_process"],
  ];
  it.each(stateCases)("%s", (_name, state, reason) => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ item: item({ state }) }), NOW), reason);
  });
});

describe("checkout and holds", () => {
  it("refuses an item trapped for another patron", () => {
    const facts = checkoutFacts({ holds: holds({ trappedFor: OTHER_PATRON }) });
    expectRefused(decideCheckout(checkout(), given(), facts, NOW), "item_on_hold_for_other");
  });

  it("refuses an item with an item-level hold by another patron", () => {
    const facts = checkoutFacts({ holds: holds({ itemLevelHoldPatrons: [OTHER_PATRON] }) });
    expectRefused(decideCheckout(checkout(), given(), facts, NOW), "item_on_hold_for_other");
  });

  it("lends an item trapped for this patron and says the hold is fulfilled", () => {
    const facts = checkoutFacts({ holds: holds({ trappedFor: "p-ann", titleQueueLength: 3 }) });
    const { events, data } = expectAccepted(decideCheckout(checkout(), given(), facts, NOW));
    expect(data.holdFulfilled).toBe(true);
    expect(events[0]).toMatchObject({ type: "ItemCheckedOut", data: { holdFulfilled: true } });
  });

  it("lends an item in transit to this patron's hold: it has reached them", () => {
    const facts = checkoutFacts({ item: item({ state: "in_transit" }), holds: holds({ trappedFor: "p-ann" }) });
    expect(expectAccepted(decideCheckout(checkout(), given(), facts, NOW)).data.holdFulfilled).toBe(true);
  });

  it("fulfils this patron's item-level hold", () => {
    const facts = checkoutFacts({ holds: holds({ itemLevelHoldPatrons: ["p-ann"] }) });
    expect(expectAccepted(decideCheckout(checkout(), given(), facts, NOW)).data.holdFulfilled).toBe(true);
  });

  it("lends an untrapped copy although others queue for the title: the next return serves them", () => {
    const facts = checkoutFacts({ holds: holds({ titleQueueLength: 2, someoneElseWaiting: true }) });
    expect(expectAccepted(decideCheckout(checkout(), given(), facts, NOW)).data.holdFulfilled).toBe(false);
  });
});

describe("checkout of an item already on loan to the same patron", () => {
  it("renews it when the terminal's renewal policy allows, and says renewal ok", () => {
    const { events, data } = expectAccepted(decideCheckout(checkout(), given(checkedOut()), checkoutFacts(), NOW));
    expect(events).toEqual([
      domainEvent("LoanRenewed", {
        loanId: "loan-1",
        itemId: "item-1",
        item: { institutionId: "main", barcode: "31000001" },
        patronId: "p-ann",
        previousDueAt: due("2025-03-15T22:59:59.000Z"),
        dueAt: due(DUE_IN_14_DAYS),
        renewalCount: 1,
        renewedAt: NOW,
        terminalAccount: "kiosk-1",
        offline: false,
        viaCheckout: true,
        viaRenewAll: false,
      }),
    ]);
    expect(data).toMatchObject({ kind: "renewed", renewalOk: true, dueAt: DUE_IN_14_DAYS });
  });

  it("refuses when the renewal policy does not allow it: never a silent extension", () => {
    const facts = checkoutFacts({ terminal: terminal({ renewalPolicyAllows: false }) });
    expectRefused(decideCheckout(checkout(), given(checkedOut()), facts, NOW), "already_on_loan_renewal_not_allowed");
  });

  it("refuses at the renewal limit", () => {
    const state = given(checkedOut(), renewed({ renewalCount: 1 }), renewed({ renewalCount: 2 }));
    expectRefused(decideCheckout(checkout(), state, checkoutFacts(), NOW), "renewal_limit");
  });

  it("refuses when someone else waits for the item", () => {
    const facts = checkoutFacts({ holds: holds({ someoneElseWaiting: true }) });
    expectRefused(decideCheckout(checkout(), given(checkedOut()), facts, NOW), "hold_pending");
  });

  it("refuses a blocked patron the renewal", () => {
    const facts = checkoutFacts({ patron: patron({ standing: { blocked: true } }) });
    expectRefused(decideCheckout(checkout(), given(checkedOut()), facts, NOW), "patron_blocked");
  });

  it("renews although the patron is at the loan limit: a renewal adds no item", () => {
    const facts = checkoutFacts({ patron: patron({ chargedCount: 99, standing: { tooManyCharged: true } }) });
    expect(expectAccepted(decideCheckout(checkout(), given(checkedOut()), facts, NOW)).data.renewalOk).toBe(true);
  });
});

describe("checkout with no block (offline kiosk)", () => {
  const offline = (overrides = {}) => terminal({ noBlock: true, ...overrides });

  it("applies an offline checkout even when the rules would refuse it, marked offline", () => {
    const facts = checkoutFacts({
      terminal: offline(),
      patron: patron({ pin: "wrong", chargedCount: 50, standing: { blocked: true, expired: true, tooManyCharged: true } }),
      item: item({ state: "lost", nonCirculating: true }),
      holds: holds({ trappedFor: OTHER_PATRON }),
    });
    const { events, data } = expectAccepted(decideCheckout(checkout(), given(), facts, NOW));
    expect(events).toMatchObject([{ type: "ItemCheckedOut", data: { offline: true, patronId: "p-ann" } }]);
    expect(data.offline).toBe(true);
  });

  it("keeps the kiosk's due date", () => {
    const facts = checkoutFacts({ terminal: offline({ kioskDueDate: new Date("2025-03-20T22:59:59Z") }) });
    const { events } = expectAccepted(decideCheckout(checkout(), given(), facts, NOW));
    expect(events[0]).toMatchObject({ data: { dueAt: due("2025-03-20T22:59:59.000Z"), dueDateFromTerminal: true } });
  });

  it("moves a kiosk due date on a closed day to the next open day", () => {
    // Sun 16 March is closed → Mon 17 March 23:59:59.
    const facts = checkoutFacts({ terminal: offline({ kioskDueDate: new Date("2025-03-16T12:00:00Z") }) });
    expect(expectAccepted(decideCheckout(checkout(), given(), facts, NOW)).data.dueAt).toBe("2025-03-17T22:59:59.000Z");
  });

  it("keeps a kiosk due date that is not after the transaction: the patron's receipt says it", () => {
    // A kiosk forwarding its queue stamps the transaction date now; the due date is from when the patron left.
    const facts = checkoutFacts({ terminal: offline({ kioskDueDate: new Date("2020-01-01T12:00:00Z") }) });
    const { events, data } = expectAccepted(decideCheckout(checkout({ transactionAt: NOW }), given(), facts, NOW));
    expect(events[0]).toMatchObject({ data: { checkedOutAt: NOW, dueAt: due("2020-01-01T12:00:00.000Z"), dueDateFromTerminal: true, offline: true } });
    expect(data.dueAt).toBe("2020-01-01T12:00:00.000Z");
  });

  it("without a kiosk due date an offline checkout gets the rule's period", () => {
    const { events } = expectAccepted(decideCheckout(checkout(), given(), checkoutFacts({ terminal: offline() }), NOW));
    expect(events[0]).toMatchObject({ data: { dueAt: due(DUE_IN_14_DAYS), dueDateFromTerminal: false } });
  });

  it("dates the loan at the kiosk's transaction date and counts the period from it", () => {
    const facts = checkoutFacts({ terminal: offline() });
    const { events } = expectAccepted(decideCheckout(checkout({ transactionAt: new Date("2025-03-11T10:00:00Z") }), given(), facts, NOW));
    expect(events[0]).toMatchObject({ data: { checkedOutAt: due("2025-03-11T10:00:00.000Z"), dueAt: due("2025-03-25T22:59:59.000Z") } });
  });

  it("does not trust a kiosk transaction date in the future", () => {
    const facts = checkoutFacts({ terminal: offline() });
    const { events } = expectAccepted(decideCheckout(checkout({ transactionAt: new Date("2025-03-13T10:00:00Z") }), given(), facts, NOW));
    expect(events[0]).toMatchObject({ data: { checkedOutAt: NOW } });
  });

  it("closes another patron's loan first when the item was lent again offline", () => {
    const state = given(checkedOut({ loanId: "loan-bob", patronId: OTHER_PATRON, patron: patronRef("21000002") }));
    const facts = checkoutFacts({ terminal: offline() });
    const { events } = expectAccepted(decideCheckout(checkout(), state, facts, NOW));
    expect(events).toMatchObject([
      {
        type: "ItemCheckedIn",
        data: {
          loanId: "loan-bob",
          patronId: OTHER_PATRON,
          returnedAt: NOW,
          closedByOfflineCheckout: true,
          offline: true,
          overdueDays: 0,
          finePolicy: TERMS.finePolicy,
        },
      },
      { type: "ItemCheckedOut", data: { loanId: "loan-2", patronId: "p-ann", offline: true } },
    ]);
  });

  it("renews offline when the patron already had the item, whatever the renewal policy and limit", () => {
    const state = given(checkedOut(), renewed({ renewalCount: 1 }), renewed({ renewalCount: 2 }));
    const facts = checkoutFacts({ terminal: offline({ renewalPolicyAllows: false }) });
    const { events, data } = expectAccepted(decideCheckout(checkout(), state, facts, NOW));
    expect(events).toMatchObject([{ type: "LoanRenewed", data: { viaCheckout: true, offline: true, renewalCount: 3 } }]);
    expect(data).toMatchObject({ kind: "renewed", renewalOk: true, offline: true });
  });

  it("still refuses an unknown patron: there is nobody to lend to", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ terminal: offline(), patron: { found: false, barcode: "x" } }), NOW), "patron_not_found");
  });

  it("still refuses an unknown item: there is nothing to lend", () => {
    expectRefused(decideCheckout(checkout(), given(), checkoutFacts({ terminal: offline(), item: { found: false, barcode: "x" } }), NOW), "item_not_found");
  });
});
