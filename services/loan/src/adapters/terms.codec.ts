import { type common, loan } from "@circulate/contracts";
import type { FinePolicy, ResolvedRule } from "../domain/index.js";

/**
 * Loan terms (the domain's resolved rule snapshot) in the contract's shape,
 * `library.loan.v1.LoanTerms`, both ways. Counts without a limit are unset in
 * the contract and UNLIMITED in the domain, which compares numbers.
 */

/** Domain counts with no limit ("unset" in the contract). uint32 max, so it fits the proto fields. */
export const UNLIMITED = 4_294_967_295;

const money = (currency: string, amountMinor: number): common.Money => ({ currency, amountMinor });

export function fineToProto(fine: FinePolicy, currency: string): loan.FinePolicy {
  // A max of 0 is "no cap" in both the rule and the contract.
  return { perDay: money(currency, fine.perDay), max: fine.max > 0 ? money(currency, fine.max) : undefined, graceDays: fine.graceDays };
}

export function fineFromProto(fine: loan.FinePolicy | undefined): FinePolicy {
  return { perDay: fine?.perDay?.amountMinor ?? 0, max: fine?.max?.amountMinor ?? 0, graceDays: fine?.graceDays ?? 0 };
}

const limit = (n: number): number | undefined => (n >= UNLIMITED ? undefined : n);

export function termsToProto(rule: ResolvedRule, currency: string): loan.LoanTerms {
  return {
    loanable: rule.circulates,
    periodUnit: rule.period.unit === "hours" ? loan.LoanPeriodUnit.HOURS : loan.LoanPeriodUnit.DAYS,
    periodLength: rule.period.length,
    renewalLimit: limit(rule.renewalLimit),
    maxItems: limit(rule.maxItems),
    finePolicy: fineToProto(rule.fine, currency),
    matched: rule.matched ? { ...rule.matched } : undefined,
  };
}

export function termsFromProto(terms: loan.LoanTerms | undefined): ResolvedRule {
  return {
    circulates: terms?.loanable ?? false,
    period: { unit: terms?.periodUnit === loan.LoanPeriodUnit.HOURS ? "hours" : "days", length: terms?.periodLength ?? 0 },
    renewalLimit: terms?.renewalLimit ?? UNLIMITED,
    maxItems: terms?.maxItems ?? UNLIMITED,
    fine: fineFromProto(terms?.finePolicy),
    matched: terms?.matched ? { ...terms.matched } : null,
  };
}
