/** Field-level mapping helpers shared by the translators: refs, PINs, dates, money, flags. */
import { commands, common, moneyToDecimal } from "@circulate/contracts";
import { formatSipDate, type PatronStatus } from "@circulate/sip2";
import { refusalMessage } from "../screen-messages.js";
import type { TerminalContext } from "../terminal.js";
import { FEE_TYPE_CODES } from "./codes.js";
import type { Failure } from "./types.js";

/**
 * The patron as the kiosk named it (AA), in the terminal's configured institution — never
 * the kiosk's AO, which kiosks leave empty or get wrong (pitfall P9). The services look the
 * barcode up in that institution and, when the account resolves across the consortium, in
 * the other members too; an "institution" account asks for its own institution only.
 */
export function patronRef(barcode: string | undefined, ctx: TerminalContext): common.PatronRef | undefined {
  const b = barcode?.trim() ?? "";
  return b === "" ? undefined : common.PatronRef.create({ institutionId: ctx.account.institutionId, barcode: b, ...scope(ctx) });
}

/** `own_institution_only` is set only for "institution" accounts; consortium refs leave it unset. */
function scope(ctx: TerminalContext): { ownInstitutionOnly?: true } {
  return ctx.account.resolution === "institution" ? { ownInstitutionOnly: true } : {};
}

/** The item as scanned (AB), in the terminal's institution (see {@link patronRef}). */
export function itemRef(barcode: string | undefined, ctx: TerminalContext): common.ItemRef | undefined {
  const b = barcode?.trim() ?? "";
  return b === "" ? undefined : common.ItemRef.create({ institutionId: ctx.account.institutionId, barcode: b, ...scope(ctx) });
}

/** True when a required identifier is absent or blank (the parser reads a missing one as ""). */
export function blank(value: string | undefined): boolean {
  return (value?.trim() ?? "") === "";
}

/** AD → the command's PIN: kiosks send `AD|` when they have none, so empty means "not given". */
export function pinOf(patronPassword: string | undefined): string | undefined {
  return patronPassword === undefined || patronPassword === "" ? undefined : patronPassword;
}

/** Optional text: an empty value is left out rather than sent as an empty field. */
export function opt(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * A free-format due date (AH) as an 18-char SIP date: in the terminal's zone, or in UTC marked
 * `   Z` when the account's dueDateFormat is "utc"; "" when unknown.
 */
export function dueDate(at: Date | undefined, ctx: TerminalContext): string {
  if (at === undefined || Number.isNaN(at.getTime())) return "";
  const style = ctx.account.dueDateFormat === "utc" ? "utc" : "local";
  return formatSipDate(at, { timeZone: ctx.account.timeZone, style });
}

/** Y/N/U from a tri-state (unset = unknown). */
export function ynu(value: boolean | undefined): "Y" | "N" | "U" {
  return value === undefined ? "U" : value ? "Y" : "N";
}

/** Money as SIP2's plain decimal (BV, CC); undefined when unset or its currency is unknown. */
export function decimal(money: common.Money | undefined): string | undefined {
  if (money === undefined || money.currency === "") return undefined;
  try {
    return moneyToDecimal(money);
  } catch {
    return undefined; // a malformed currency must not break the response: the amount is left out
  }
}

/** BH + BV for an amount; both or neither. */
export function moneyFields(money: common.Money | undefined): { currencyType?: string; feeAmount?: string } {
  const amount = decimal(money);
  return amount === undefined || money === undefined ? {} : { currencyType: money.currency.toUpperCase(), feeAmount: amount };
}

/** BT, BH, BV, BK of 12/30 for a fee charged by, or to be acknowledged for, a transaction. */
export function feeFields(fee: common.FeeNotice | undefined): {
  feeType?: string;
  currencyType?: string;
  feeAmount?: string;
  transactionId?: string;
} {
  if (fee === undefined) return {};
  const feeType = FEE_TYPE_CODES[fee.feeType];
  return {
    ...(feeType === undefined ? {} : { feeType }),
    ...moneyFields(fee.amount),
    ...(fee.transactionId === "" ? {} : { transactionId: fee.transactionId }),
  };
}

/** The 14 patron-status flags in SIP2 terms. */
export function patronStatusOf(flags: common.PatronStatusFlags | undefined): PatronStatus {
  const f = flags ?? common.PatronStatusFlags.create();
  return {
    chargePrivilegesDenied: f.chargePrivilegesDenied,
    renewalPrivilegesDenied: f.renewalPrivilegesDenied,
    recallPrivilegesDenied: f.recallPrivilegesDenied,
    holdPrivilegesDenied: f.holdPrivilegesDenied,
    cardReportedLost: f.cardReportedLost,
    tooManyItemsCharged: f.tooManyItemsCharged,
    tooManyItemsOverdue: f.tooManyItemsOverdue,
    tooManyRenewals: f.tooManyRenewals,
    tooManyClaimsOfItemsReturned: f.tooManyClaimsOfItemsReturned,
    tooManyItemsLost: f.tooManyItemsLost,
    excessiveOutstandingFines: f.excessiveOutstandingFines,
    excessiveOutstandingFees: f.excessiveOutstandingFees,
    recallOverdue: f.recallOverdue,
    tooManyItemsBilled: f.tooManyItemsBilled,
  };
}

/**
 * Status for a patron we could not judge (unknown, or the backend did not answer): the four
 * privileges denied (`YYYY` + blanks, as Koha and Evergreen send), so no kiosk lets the
 * patron go ahead on a status nobody computed.
 */
export const PRIVILEGES_DENIED: PatronStatus = patronStatusOf(
  common.PatronStatusFlags.create({
    chargePrivilegesDenied: true,
    renewalPrivilegesDenied: true,
    recallPrivilegesDenied: true,
    holdPrivilegesDenied: true,
  }),
);

/** AF lines: the given texts that are not empty; undefined when none. */
export function screen(...texts: (string | undefined)[]): readonly string[] | undefined {
  const lines = texts.filter((t): t is string => t !== undefined && t !== "");
  return lines.length === 0 ? undefined : lines;
}

/** The screen message of a failure: always from the catalog, never the service's detail. */
export function failureMessage(failure: Failure): string {
  return refusalMessage(failure.reason);
}

/** A local refusal (nothing was sent on). */
export function localRefusal(reason: commands.RefusalReason): Failure {
  return { reason };
}

/** Missing or malformed data in the request. */
export const INVALID_REQUEST: Failure = localRefusal(commands.RefusalReason.INVALID_REQUEST);

/**
 * A 1-based item index (BP/BQ). Anything but a positive whole number means "not given"
 * (0), so a sloppy kiosk gets the whole list rather than a refusal.
 */
export function itemIndex(value: string | undefined): number {
  const t = value?.trim() ?? "";
  if (!/^\d{1,9}$/.test(t)) return 0;
  return Number(t);
}
