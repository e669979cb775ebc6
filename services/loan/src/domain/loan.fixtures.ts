/**
 * Builders for the given/when/then unit specs. Every fact defaults to the happy
 * path (a patron in good standing, an available book, no holds, an online
 * kiosk), so each spec states only the fact its rule is about.
 */
import { type Decision, fold } from "@circulate/domain";
import { expect } from "vitest";
import type { CheckInItem } from "./checkin.decider.js";
import type { CheckOutItem, CheckoutFacts } from "./checkout.decider.js";
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
import type { ItemCheckedOut, LoanEvent, LoanRenewed } from "./loan.events.js";
import type { ResolvedRule } from "./loan-rules.js";
import { evolve, initialState, type LoanState } from "./loan.state.js";
import type { RenewLoan } from "./renew.decider.js";

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
    barcode: "31000001",
    title: "The Name of the Rose",
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
  return { terminalId: "kiosk-1", renewalPolicyAllows: true, noBlock: false, kioskDueDate: null, ...overrides };
}

export function checkoutFacts(overrides: Partial<CheckoutFacts> = {}): CheckoutFacts {
  return { patron: patron(), item: item(), holds: holds(), terminal: terminal(), rule: RULE, time: TIME, ...overrides };
}

export function checkout(overrides: Partial<CheckOutItem> = {}): CheckOutItem {
  return { type: "CheckOutItem", institutionId: "main", patronBarcode: "21000001", itemBarcode: "31000001", cancel: false, transactionAt: null, ...overrides };
}

export function checkin(overrides: Partial<CheckInItem> = {}): CheckInItem {
  return { type: "CheckInItem", institutionId: "main", itemBarcode: "31000001", cancel: false, returnedAt: null, transactionAt: null, location: "Main desk", ...overrides };
}

export function renew(overrides: Partial<RenewLoan> = {}): RenewLoan {
  return { type: "RenewLoan", institutionId: "main", patronBarcode: "21000001", itemBarcode: "31000001", transactionAt: null, ...overrides };
}

/** An `ItemCheckedOut` to Ann on 1 March 2025, due 15 March. */
export function checkedOut(overrides: Partial<ItemCheckedOut> = {}): ItemCheckedOut {
  return {
    type: "ItemCheckedOut",
    institutionId: "main",
    itemBarcode: "31000001",
    terminalId: "kiosk-1",
    patronId: "p-ann",
    patronBarcode: "21000001",
    patronType: "adult",
    itemType: "book",
    loanedAt: "2025-03-01T09:00:00.000Z",
    dueAt: "2025-03-15T22:59:59.000Z",
    rule: RULE,
    offline: false,
    kioskDueDate: false,
    holdFulfilled: false,
    ...overrides,
  };
}

export function renewed(overrides: Partial<LoanRenewed> = {}): LoanRenewed {
  return {
    type: "LoanRenewed",
    institutionId: "main",
    itemBarcode: "31000001",
    terminalId: "kiosk-1",
    patronId: "p-ann",
    previousDueAt: "2025-03-15T22:59:59.000Z",
    dueAt: "2025-03-22T22:59:59.000Z",
    renewals: 1,
    renewedAt: "2025-03-08T10:00:00.000Z",
    offline: false,
    via: "renew",
    ...overrides,
  };
}

/** Given: the item's stream so far. */
export function given(...events: readonly LoanEvent[]): LoanState {
  return fold(evolve, initialState(), events);
}

/** Then: refused for exactly this reason, recording nothing. */
export function expectRefused<R extends string>(decision: Decision<LoanEvent, R, unknown>, reason: R): void {
  expect(decision).toMatchObject({ outcome: "refused", reason, events: [] });
}

/** Then: accepted; returns the events and reply data for further expectations. */
export function expectAccepted<A>(decision: Decision<LoanEvent, string, A>): { events: readonly LoanEvent[]; data: A } {
  if (decision.outcome !== "accepted") throw new Error(`expected acceptance, got refusal "${decision.reason}"`);
  return { events: decision.events, data: decision.data };
}
