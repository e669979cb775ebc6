import { loan } from "@circulate/contracts";
import type { LoanPeriod } from "./calendar.js";

/**
 * Loan rules: a matrix over (institution, patron type, item type). Each
 * dimension of an entry is an exact value or the wildcard `*`.
 *
 * Precedence (most specific wins), as in Koha's circulation rules where the
 * library outranks the patron category, which outranks the item type:
 *
 * | rank | institution | patron type | item type |
 * |---|---|---|---|
 * | 1 | exact | exact | exact |
 * | 2 | exact | exact | `*` |
 * | 3 | exact | `*` | exact |
 * | 4 | exact | `*` | `*` |
 * | 5 | `*` | exact | exact |
 * | 6 | `*` | exact | `*` |
 * | 7 | `*` | `*` | exact |
 * | 8 | `*` | `*` | `*` |
 *
 * Two entries with the same key are a configuration mistake
 * (`findRuleProblems` reports it); if one slips through, the first listed wins.
 *
 * Nothing matches → `NO_RULE`: the item does not circulate. Failing closed
 * means a new item type or patron type cannot go out on terms nobody chose; a
 * library that wants a catch-all adds a `* / * / *` entry.
 */

export const ANY = "*" as const;

/** A count with no limit in a rule. uint32 max, so it still fits where a limit is stored. */
export const UNLIMITED = 4_294_967_295;

/** Fine terms copied into loan events so the fee service can assess a fine at checkin. */
export interface FinePolicy {
  /** Fine per overdue day, in minor currency units (cents). */
  readonly perDay: number;
  /** Cap on the fine for one loan, in minor units. */
  readonly max: number;
  /** Days late that are not fined at all (a return within grace costs nothing). */
  readonly graceDays: number;
}

export interface LoanRule {
  readonly circulates: boolean;
  readonly period: LoanPeriod;
  /** How many times a loan may be renewed. */
  readonly renewalLimit: number;
  /** How many items the patron may have charged when this rule applies. */
  readonly maxItems: number;
  readonly fine: FinePolicy;
}

export interface RuleKey {
  readonly institutionId: string;
  readonly patronType: string;
  readonly itemType: string;
}

/** One row of the matrix; any dimension may be `*`. */
export interface LoanRuleEntry extends RuleKey {
  readonly rule: LoanRule;
}

/**
 * The rule that applies, with the key of the entry that matched (null = the
 * default). This is the snapshot a loan keeps: later rule changes do not
 * rewrite the terms of loans already made.
 */
export interface ResolvedRule extends LoanRule {
  readonly matched: RuleKey | null;
}

export const NO_RULE: ResolvedRule = {
  circulates: false,
  period: { unit: "days", length: 0 },
  renewalLimit: 0,
  maxItems: 0,
  fine: { perDay: 0, max: 0, graceDays: 0 },
  matched: null,
};

function specificity(entry: RuleKey, key: RuleKey): number {
  const dims = [
    [entry.institutionId, key.institutionId, 4],
    [entry.patronType, key.patronType, 2],
    [entry.itemType, key.itemType, 1],
  ] as const;
  let score = 0;
  for (const [pattern, value, weight] of dims) {
    if (pattern === ANY) continue;
    if (pattern !== value) return -1;
    score += weight;
  }
  return score;
}

/** The most specific rule for `key` (see the precedence table above), or `NO_RULE`. */
export function resolveRule(rules: readonly LoanRuleEntry[], key: RuleKey): ResolvedRule {
  let best: LoanRuleEntry | undefined;
  let bestScore = -1;
  for (const entry of rules) {
    const score = specificity(entry, key);
    // Strictly greater: on a duplicate key the first listed entry stays.
    if (score > bestScore) {
      best = entry;
      bestScore = score;
    }
  }
  if (best === undefined) return NO_RULE;
  return {
    ...best.rule,
    matched: { institutionId: best.institutionId, patronType: best.patronType, itemType: best.itemType },
  };
}

const isCount = (n: number) => Number.isInteger(n) && n >= 0;

/** Mistakes in a rule matrix, for the config loader to fail fast on. Empty = fine. */
export function findRuleProblems(rules: readonly LoanRuleEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { institutionId, patronType, itemType, rule } of rules) {
    const key = `${institutionId}/${patronType}/${itemType}`;
    if (seen.has(key)) problems.push(`${key}: duplicate key (the first one wins)`);
    seen.add(key);
    // 0 days is a same-day loan (due tonight); 0 hours would be due at once.
    const { unit, length } = rule.period;
    if (rule.circulates && !(isCount(length) && (unit === "days" || length > 0))) {
      problems.push(`${key}: loan period must be a whole number of ${unit} (at least 1 hour)`);
    }
    for (const [name, n] of [
      ["renewalLimit", rule.renewalLimit],
      ["maxItems", rule.maxItems],
      ["fine.perDay", rule.fine.perDay],
      ["fine.max", rule.fine.max],
      ["fine.graceDays", rule.fine.graceDays],
    ] as const) {
      if (!isCount(n)) problems.push(`${key}: ${name} must be a whole number >= 0`);
    }
  }
  return problems;
}

const limit = (n: number): number | undefined => (n >= UNLIMITED ? undefined : n);

/**
 * The terms a loan is made on: the resolved rule as the loan's events carry it,
 * fine amounts in `currency`. A count without a limit is unset, and so is a
 * fine max of 0 ("no cap").
 */
export function loanTerms(rule: ResolvedRule, currency: string): loan.LoanTerms {
  const money = (amountMinor: number) => ({ currency, amountMinor });
  return loan.LoanTerms.fromPartial({
    loanable: rule.circulates,
    periodUnit: rule.period.unit === "hours" ? loan.LoanPeriodUnit.HOURS : loan.LoanPeriodUnit.DAYS,
    periodLength: rule.period.length,
    renewalLimit: limit(rule.renewalLimit),
    maxItems: limit(rule.maxItems),
    finePolicy: { perDay: money(rule.fine.perDay), max: rule.fine.max > 0 ? money(rule.fine.max) : undefined, graceDays: rule.fine.graceDays },
    matched: rule.matched ?? undefined,
  });
}

/** The loan period of a loan's terms (renewals count it again). */
export function periodOf(terms: loan.LoanTerms | undefined): LoanPeriod {
  return { unit: terms?.periodUnit === loan.LoanPeriodUnit.HOURS ? "hours" : "days", length: terms?.periodLength ?? 0 };
}

/** Renewals a loan's terms allow in all (`UNLIMITED` when they set no limit). */
export function renewalLimitOf(terms: loan.LoanTerms | undefined): number {
  return terms?.renewalLimit ?? UNLIMITED;
}

/** Renewals left after `renewals` of them; undefined when the terms set no limit. */
export function renewalsLeft(terms: loan.LoanTerms | undefined, renewals: number): number | undefined {
  const max = terms?.renewalLimit;
  return max === undefined ? undefined : Math.max(0, max - renewals);
}
