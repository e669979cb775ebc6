/**
 * Builders for the given/when/then unit specs. Every fact defaults to the happy
 * path (a patron in good standing, an available book, no holds, an online
 * kiosk), so each spec states only the fact its rule is about.
 */
import { type DomainEvent, type DomainEventOf, domainEvent, loan } from "@circulate/contracts";
import { type Decision, fold } from "@circulate/domain";
import { expect } from "vitest";
import type { CheckInItem } from "../checkin/checkin.decider.js";
import type { CheckOutItem, CheckoutFacts } from "../checkout/checkout.decider.js";
import {
  type FoundItem,
  type FoundPatron,
  GOOD_STANDING,
  type HoldFacts,
  type InstitutionTime,
  NO_HOLDS,
  type PatronStanding,
  type TerminalFacts,
} from "./facts.js";
import { loanTerms, type ResolvedRule } from "./loan-rules.js";
import { evolve, initialState, type LoanState } from "./loan.state.js";
import type { RenewLoan } from "../renew/renew.decider.js";

/** Wednesday 12 March 2025, 11:00 in Berlin (CET, UTC+1). */
export const NOW = new Date("2025-03-12T10:00:00.000Z");
export const TZ = "Europe/Berlin";
/** Closed on Sundays and on Monday 24 March 2025. */
export const TIME: InstitutionTime = { timeZone: TZ, calendar: { closedDates: ["2025-03-24"], closedWeekdays: ["sun"] } };

export const RULE: ResolvedRule = {
  circulates: true,
  period: { unit: "days", length: 14 },
  renewalLimit: 2,
  maxItems: 10,
  fine: { perDay: 25, max: 500, graceDays: 1 },
  matched: { institutionId: "main", patronType: "adult", itemType: "book" },
};
/** The fine amounts' currency. */
export const CURRENCY = "EUR";
/** RULE as a loan's terms. */
export const TERMS = loanTerms(RULE, CURRENCY);

/** The item 31000001, or another copy, at the main library. */
export const itemRef = (barcode = "31000001") => ({ institutionId: "main", barcode });
/** Ann's card, or another patron's. */
export const patronRef = (barcode = "21000001") => ({ institutionId: "main", barcode });

export function patron(overrides: Omit<Partial<FoundPatron>, "standing"> & { standing?: Partial<PatronStanding> } = {}): FoundPatron {
  const { standing, ...rest } = overrides;
  return {
    found: true,
    patronId: "p-ann",
    barcode: "21000001",
    institutionId: "main",
    patronType: "adult",
    pin: "ok",
    chargedCount: 0,
    ...rest,
    standing: { ...GOOD_STANDING, ...standing },
  };
}

export const OTHER_PATRON = "p-bob";

export function item(overrides: Partial<FoundItem> = {}): FoundItem {
  return {
    found: true,
    itemId: "item-1",
    barcode: "31000001",
    title: "The Name of the Rose",
    titleId: "t-1",
    itemType: "book",
    mediaType: "001",
    owningInstitutionId: "main",
    permanentLocation: "Main / Fiction",
    nonCirculating: false,
    state: "available",
    magneticMedia: false,
    ...overrides,
  };
}

export function holds(overrides: Partial<HoldFacts> = {}): HoldFacts {
  return { ...NO_HOLDS, ...overrides };
}

export function terminal(overrides: Partial<TerminalFacts> = {}): TerminalFacts {
  return { terminalId: "kiosk-1", location: "Main desk", renewalPolicyAllows: true, noBlock: false, kioskDueDate: null, ...overrides };
}

export function checkoutFacts(overrides: Partial<CheckoutFacts> = {}): CheckoutFacts {
  return { patron: patron(), item: item(), holds: holds(), terminal: terminal(), rule: RULE, currency: CURRENCY, time: TIME, ...overrides };
}

export function checkout(overrides: Partial<CheckOutItem> = {}): CheckOutItem {
  return {
    type: "CheckOutItem",
    institutionId: "main",
    patronBarcode: "21000001",
    itemBarcode: "31000001",
    cancel: false,
    transactionAt: null,
    loanId: "loan-2",
    ...overrides,
  };
}

export function checkin(overrides: Partial<CheckInItem> = {}): CheckInItem {
  return { type: "CheckInItem", institutionId: "main", itemBarcode: "31000001", cancel: false, returnedAt: null, transactionAt: null, location: "Main desk", ...overrides };
}

export function renew(overrides: Partial<RenewLoan> = {}): RenewLoan {
  return { type: "RenewLoan", institutionId: "main", patronBarcode: "21000001", itemBarcode: "31000001", transactionAt: null, ...overrides };
}

type Fields<T extends DomainEvent<"loan">["type"]> = Partial<DomainEventOf<T>["data"]>;

/** An `ItemCheckedOut` to Ann on 1 March 2025, due 15 March. */
export function checkedOut(overrides: Fields<"ItemCheckedOut"> = {}): DomainEventOf<"ItemCheckedOut"> {
  return domainEvent("ItemCheckedOut", {
    loanId: "loan-1",
    itemId: "item-1",
    item: itemRef(),
    title: "The Name of the Rose",
    titleId: "t-1",
    patronId: "p-ann",
    patron: patronRef(),
    checkedOutAt: new Date("2025-03-01T09:00:00.000Z"),
    dueAt: new Date("2025-03-15T22:59:59.000Z"),
    terminalAccount: "kiosk-1",
    location: "Main desk",
    channel: loan.LoanChannel.TERMINAL,
    patronType: "adult",
    itemType: "book",
    terms: TERMS,
    ...overrides,
  });
}

/** Ann's loan renewed by 29 on 8 March, now due 22 March. */
export function renewed(overrides: Fields<"LoanRenewed"> = {}): DomainEventOf<"LoanRenewed"> {
  return domainEvent("LoanRenewed", {
    loanId: "loan-1",
    itemId: "item-1",
    item: itemRef(),
    patronId: "p-ann",
    previousDueAt: new Date("2025-03-15T22:59:59.000Z"),
    dueAt: new Date("2025-03-22T22:59:59.000Z"),
    renewalCount: 1,
    renewedAt: new Date("2025-03-08T10:00:00.000Z"),
    terminalAccount: "kiosk-1",
    ...overrides,
  });
}

/** Given: the item's stream so far. */
export function given(...events: readonly DomainEvent<"loan">[]): LoanState {
  return fold(evolve, initialState(), events);
}

/** Then: refused for exactly this reason, recording nothing. */
export function expectRefused<R extends string>(decision: Decision<DomainEvent<"loan">, R, unknown>, reason: R): void {
  expect(decision).toMatchObject({ outcome: "refused", reason, events: [] });
}

/** Then: accepted; returns the events and reply data for further expectations. */
export function expectAccepted<A>(decision: Decision<DomainEvent<"loan">, string, A>): { events: readonly DomainEvent<"loan">[]; data: A } {
  if (decision.outcome !== "accepted") throw new Error(`expected acceptance, got refusal "${decision.reason}"`);
  return { events: decision.events, data: decision.data };
}
