import { commands, loan } from "@circulate/contracts";
import type { Harness } from "./harness.js";

/** The stand-in patrons (PIN 1234 for everyone, as in the demo library). */
export const ADA = { patronId: "pat-ada", barcode: "P0001", name: "Ada Lovelace", patronType: "adult", pin: "1234" };
export const BABBAGE = { patronId: "pat-babbage", barcode: "P0002", name: "Charles Babbage", patronType: "adult", pin: "1234" };
export const TURING = { patronId: "pat-turing", barcode: "P0004", name: "Alan Turing", patronType: "adult", pin: "1234", blocked: true };
export const JOHNSON = { patronId: "pat-johnson", barcode: "P0005", name: "Katherine Johnson", patronType: "adult", pin: "1234" };
export const HOPPER = { patronId: "pat-hopper", barcode: "P0003", name: "Grace Hopper", patronType: "adult", pin: "1234" };

const USD = (amountMinor: number) => ({ currency: "USD", amountMinor });

/** Rules of the demo: books 14 days (2 renewals), DVDs 7 days (1 renewal), reference never lent. */
export const RULES: loan.LoanRule[] = [
  loan.LoanRule.fromPartial({
    institutionId: "MAIN",
    patronType: "*",
    itemType: "book",
    loanable: true,
    loanPeriodMinutes: 14 * 1440,
    maxRenewals: 2,
    maxItems: 10,
    finePerDay: USD(25),
    maxFine: USD(500),
    graceDays: 1,
  }),
  loan.LoanRule.fromPartial({ institutionId: "MAIN", patronType: "*", itemType: "dvd", loanable: true, loanPeriodMinutes: 7 * 1440, maxRenewals: 1, finePerDay: USD(100) }),
  loan.LoanRule.fromPartial({ institutionId: "*", patronType: "*", itemType: "reference", loanable: false }),
];

/** Loads institutions and rules through the admin API, and the stand-ins' patrons. */
export async function seedLibrary(h: Harness): Promise<void> {
  for (const p of [ADA, BABBAGE, TURING, JOHNSON, HOPPER]) h.world.patron({ ...p });
  await h.call(h.loans.upsertInstitutions, {
    institutions: [
      { institutionId: "MAIN", name: "Main Library", timeZone: "America/New_York", currency: "USD" },
      { institutionId: "EAST", name: "East Branch", timeZone: "America/New_York", currency: "USD" },
    ],
  });
  await h.call(h.loans.upsertLoanRules, { rules: RULES });
}

export const patronRef = (barcode: string) => ({ institutionId: "MAIN", barcode });
export const itemRef = (barcode: string) => ({ institutionId: "MAIN", barcode });

export function checkout(patron: string, item: string, extra: Partial<commands.CheckOutItem> = {}) {
  return {
    $case: "checkOutItem" as const,
    value: commands.CheckOutItem.fromPartial({ patron: patronRef(patron), pin: "1234", item: itemRef(item), ...extra }),
  };
}

export function checkin(item: string, extra: Partial<commands.CheckInItem> = {}) {
  return { $case: "checkInItem" as const, value: commands.CheckInItem.fromPartial({ item: itemRef(item), currentLocation: "MAIN-DESK", ...extra }) };
}

export function renew(patron: string, item: string, extra: Partial<commands.RenewItem> = {}) {
  return { $case: "renewItem" as const, value: commands.RenewItem.fromPartial({ patron: patronRef(patron), pin: "1234", item: itemRef(item), ...extra }) };
}

export function renewAll(patron: string) {
  return { $case: "renewAll" as const, value: commands.RenewAll.fromPartial({ patron: patronRef(patron), pin: "1234" }) };
}

export const streamOf = (item: string) => `loan-MAIN-${item}`;
