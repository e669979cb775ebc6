import { describe, expect, it } from "vitest";
import { formatAmount, minorUnitDigits, parseAmount } from "./money.format.js";

describe("formatAmount: minor units to SIP2 text", () => {
  it("writes the currency's decimals, zero-padded, without separators", () => {
    expect(formatAmount(1250, "USD")).toBe("12.50");
    expect(formatAmount(5, "USD")).toBe("0.05");
    expect(formatAmount(0, "EUR")).toBe("0.00");
    expect(formatAmount(123456789, "GBP")).toBe("1234567.89");
  });

  it("follows the currency's minor unit (JPY has none, KWD has three)", () => {
    expect(formatAmount(500, "JPY")).toBe("500");
    expect(formatAmount(1234, "KWD")).toBe("1.234");
    expect(minorUnitDigits("ZZZ")).toBe(2);
  });

  it("writes a credit with a leading minus", () => {
    expect(formatAmount(-150, "USD")).toBe("-1.50");
  });

  it("throws on a non-integer amount, which no validated path produces", () => {
    expect(() => formatAmount(12.5, "USD")).toThrow(/safe integer/);
  });
});

describe("parseAmount: SIP2 text to minor units", () => {
  it("reads whole and fractional amounts", () => {
    expect(parseAmount("12.5", "USD")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("12.50", "USD")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("12", "USD")).toEqual({ ok: true, minor: 1200 });
    expect(parseAmount("0.01", "USD")).toEqual({ ok: true, minor: 1 });
    expect(parseAmount("0", "USD")).toEqual({ ok: true, minor: 0 });
    expect(parseAmount("007.10", "USD")).toEqual({ ok: true, minor: 710 });
  });

  it("tolerates the blanks of a padded field", () => {
    expect(parseAmount(" 3.07 ", "USD")).toEqual({ ok: true, minor: 307 });
  });

  it("accepts trailing zeros beyond the minor unit, which lose nothing", () => {
    expect(parseAmount("12.500", "USD")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("500.0", "JPY")).toEqual({ ok: true, minor: 500 });
  });

  it("refuses more significant decimals than the currency has", () => {
    expect(parseAmount("12.505", "USD")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(parseAmount("1.5", "JPY")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(parseAmount("1.2345", "KWD")).toEqual({ ok: false, error: "too_many_decimals" });
  });

  it("refuses negative amounts", () => {
    expect(parseAmount("-1.00", "USD")).toEqual({ ok: false, error: "negative" });
    expect(parseAmount("-0", "USD")).toEqual({ ok: false, error: "negative" });
  });

  it("refuses garbage, signs, exponents, commas and half-written numbers", () => {
    for (const text of ["abc", "1,50", "1,000.00", "1.2.3", "+1", "1e3", ".5", "12.", "0x10", "12 50", "$12", "Infinity", "NaN"])
      expect(parseAmount(text, "USD"), text).toEqual({ ok: false, error: "not_a_number" });
    expect(parseAmount("", "USD")).toEqual({ ok: false, error: "empty" });
    expect(parseAmount("   ", "USD")).toEqual({ ok: false, error: "empty" });
  });

  it("refuses amounts beyond exact integer range", () => {
    expect(parseAmount("99999999999999999999", "USD")).toEqual({ ok: false, error: "too_large" });
  });

  it("refuses a currency that is not an ISO 4217 code", () => {
    expect(parseAmount("1.00", "usd")).toEqual({ ok: false, error: "currency_invalid" });
    expect(parseAmount("1.00", "   ")).toEqual({ ok: false, error: "currency_invalid" });
  });

  it("round-trips every amount it formats", () => {
    for (const currency of ["USD", "JPY", "KWD"])
      for (const minor of [0, 1, 9, 10, 99, 100, 101, 1250, 99999, 123456789, Number.MAX_SAFE_INTEGER])
        expect(parseAmount(formatAmount(minor, currency), currency)).toEqual({ ok: true, minor });
  });
});
