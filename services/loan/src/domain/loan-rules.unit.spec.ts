import { describe, expect, it } from "vitest";
import { findRuleProblems, type LoanRule, type LoanRuleEntry, NO_RULE, resolveRule } from "./loan-rules.js";

const rule = (length: number, overrides: Partial<LoanRule> = {}): LoanRule => ({
  circulates: true,
  period: { unit: "days", length },
  renewalLimit: 2,
  maxItems: 10,
  fine: { perDay: 20, max: 400, graceDays: 0 },
  ...overrides,
});

const entry = (institutionId: string, patronType: string, itemType: string, length: number): LoanRuleEntry => ({
  institutionId,
  patronType,
  itemType,
  rule: rule(length),
});

const key = { institutionId: "main", patronType: "adult", itemType: "dvd" };
const periodOf = (rules: LoanRuleEntry[]) => resolveRule(rules, key).period.length;

describe("loan rule precedence", () => {
  it("an exact institution + patron type + item type entry wins over everything", () => {
    const rules = [entry("*", "*", "*", 1), entry("main", "adult", "*", 2), entry("main", "adult", "dvd", 3), entry("main", "*", "dvd", 4)];
    expect(periodOf(rules)).toBe(3);
  });

  it("institution outranks patron type, which outranks item type", () => {
    expect(periodOf([entry("*", "adult", "dvd", 1), entry("main", "*", "*", 2)])).toBe(2);
    expect(periodOf([entry("main", "*", "dvd", 1), entry("main", "adult", "*", 2)])).toBe(2);
    expect(periodOf([entry("*", "*", "dvd", 1), entry("*", "adult", "*", 2)])).toBe(2);
  });

  it("falls back to the catch-all entry", () => {
    expect(periodOf([entry("other", "adult", "dvd", 1), entry("*", "*", "*", 7)])).toBe(7);
  });

  it("ignores entries whose exact values do not match", () => {
    expect(periodOf([entry("other", "*", "*", 1), entry("*", "child", "*", 2), entry("*", "*", "book", 3), entry("*", "*", "*", 9)])).toBe(9);
  });

  it("no matching rule means the item does not circulate", () => {
    expect(resolveRule([entry("other", "*", "*", 1)], key)).toEqual(NO_RULE);
    expect(NO_RULE.circulates).toBe(false);
  });

  it("records which entry matched, for the loan's rule snapshot", () => {
    expect(resolveRule([entry("main", "*", "dvd", 4)], key).matched).toEqual({ institutionId: "main", patronType: "*", itemType: "dvd" });
  });

  it("on a duplicate key the first listed entry wins", () => {
    expect(periodOf([entry("main", "adult", "dvd", 1), entry("main", "adult", "dvd", 2)])).toBe(1);
  });
});

describe("rule matrix validation", () => {
  it("a sound matrix has no problems", () => {
    expect(findRuleProblems([entry("*", "*", "*", 14), entry("main", "*", "dvd", 0)])).toEqual([]);
  });

  it("reports duplicate keys", () => {
    expect(findRuleProblems([entry("main", "adult", "dvd", 1), entry("main", "adult", "dvd", 2)])).toEqual([
      "main/adult/dvd: duplicate key (the first one wins)",
    ]);
  });

  it("reports negative or fractional counts and an empty hour loan", () => {
    const problems = findRuleProblems([
      { institutionId: "*", patronType: "*", itemType: "*", rule: rule(14, { renewalLimit: -1, maxItems: 1.5 }) },
      { institutionId: "*", patronType: "*", itemType: "laptop", rule: rule(0, { period: { unit: "hours", length: 0 } }) },
    ]);
    expect(problems).toEqual([
      "*/*/*: renewalLimit must be a whole number >= 0",
      "*/*/*: maxItems must be a whole number >= 0",
      "*/*/laptop: loan period must be a whole number of hours (at least 1 hour)",
    ]);
  });

  it("does not check the period of a rule that does not circulate", () => {
    expect(findRuleProblems([{ institutionId: "*", patronType: "*", itemType: "*", rule: rule(-1, { circulates: false }) }])).toEqual([]);
  });
});
