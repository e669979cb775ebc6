/**
 * Money is held as an integer count of the currency's minor unit (cents for USD,
 * yen for JPY, fils for KWD) so sums and allocations never lose a cent to binary
 * floating point. Text amounts exist only at the SIP2 edge (`BV`, `CC`: plain
 * decimal with a `.`), so parsing and formatting live here, pure, for the gateway.
 */

import type { common } from "@circulate/contracts";

/** An ISO 4217 alphabetic code ("USD"). Checked by {@link isCurrencyCode}. */
export type CurrencyCode = string;

/**
 * ISO 4217 currencies whose minor unit is not 2 decimals. Anything else that is
 * three capital letters gets 2, which is right for nearly every currency a
 * library charges in and keeps an unknown-but-well-formed code usable.
 */
const MINOR_UNIT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export function isCurrencyCode(code: string): code is CurrencyCode {
  return /^[A-Z]{3}$/.test(code);
}

/** Number of decimals of the currency's minor unit (2 unless listed above). */
export function minorUnitDigits(currency: CurrencyCode): number {
  return MINOR_UNIT_EXCEPTIONS[currency] ?? 2;
}

/** An amount as events and replies carry it. */
export function money(amountMinor: number, currency: CurrencyCode): common.Money {
  return { currency, amountMinor };
}

/** The minor units of a contract amount; an unset one is 0. */
export function minorOf(amount: common.Money | undefined): number {
  return amount?.amountMinor ?? 0;
}

/** A programming error, not bad input: amounts reaching here were already validated. */
export class InvalidAmountError extends Error {
  override readonly name = "InvalidAmountError";
}

/**
 * `formatAmount(1250, "USD")` → `"12.50"`; `formatAmount(500, "JPY")` → `"500"`.
 * No thousands separators and always the currency's full decimals, the form SIP2
 * kiosks parse. Negative amounts (credits) get a leading `-`.
 */
export function formatAmount(minor: number, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(minor)) throw new InvalidAmountError(`amount must be a safe integer, got ${minor}`);
  const digits = minorUnitDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = String(Math.abs(minor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, "0");
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

export type AmountParseError = "empty" | "not_a_number" | "negative" | "too_many_decimals" | "too_large" | "currency_invalid";

export type AmountParse = { readonly ok: true; readonly minor: number } | { readonly ok: false; readonly error: AmountParseError };

/**
 * Parses a SIP2 amount into minor units: `parseAmount("12.5", "USD")` → 1250.
 * Accepted: digits with an optional `.` and decimals, surrounding blanks (fixed
 * fields are space-padded). Refused as data, never thrown, because the text comes
 * from a kiosk: a sign, a `,` (ambiguous: thousands or decimal separator),
 * exponents, a bare `.5` or `12.`, and more significant decimals than the
 * currency has (`12.505` USD would silently lose half a cent). Extra trailing
 * zeros (`12.500`) are exact and accepted.
 */
export function parseAmount(text: string, currency: CurrencyCode): AmountParse {
  if (!isCurrencyCode(currency)) return { ok: false, error: "currency_invalid" };
  const s = text.trim();
  if (s === "") return { ok: false, error: "empty" };
  if (/^-\s*\d/.test(s)) return { ok: false, error: "negative" };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { ok: false, error: "not_a_number" };
  const whole = m[1]!;
  const digits = minorUnitDigits(currency);
  const decimals = (m[2] ?? "").replace(/0+$/, "");
  if (decimals.length > digits) return { ok: false, error: "too_many_decimals" };
  const minorText = (whole + decimals.padEnd(digits, "0")).replace(/^0+(?=\d)/, "");
  const minor = Number(minorText);
  if (!Number.isSafeInteger(minor)) return { ok: false, error: "too_large" };
  return { ok: true, minor };
}
