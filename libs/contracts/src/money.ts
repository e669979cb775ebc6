import type { Money } from "./gen/library/common/v1/common.js";

const digitsCache = new Map<string, number>();

/**
 * Number of minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, BHD 3),
 * from the runtime's ICU data. Throws RangeError for a malformed code.
 */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    if (!/^[A-Z]{3}$/.test(code)) throw new RangeError(`invalid ISO 4217 currency code ${JSON.stringify(currency)}`);
    digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(code, digits);
  }
  return digits;
}

/** Money as a plain decimal string with `.` and no grouping ("115.57", "-0.50", "300"), as SIP2 BV/CC want. */
export function moneyToDecimal(money: Money): string {
  const digits = currencyDigits(money.currency);
  if (!Number.isSafeInteger(money.amountMinor)) throw new RangeError(`amount ${money.amountMinor} is not a safe integer`);
  const negative = money.amountMinor < 0;
  const abs = String(Math.abs(money.amountMinor)).padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}`;
}

/**
 * Parses a plain decimal amount ("115.57", "1.5", "20", " 3.00 ") in `currency`.
 * Throws RangeError for anything else, or for more fraction digits than the
 * currency has (no silent rounding of money).
 */
export function moneyFromDecimal(text: string, currency: string): Money {
  const digits = currencyDigits(currency);
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (match === null) throw new RangeError(`invalid amount ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > digits) {
    throw new RangeError(`amount ${JSON.stringify(text)} has more than ${digits} decimals for ${currency}`);
  }
  const minor = Number(`${whole}${fraction.padEnd(digits, "0")}`);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${JSON.stringify(text)} is too large`);
  return { currency: currency.toUpperCase(), amountMinor: sign === "-" && minor !== 0 ? -minor : minor };
}
