import type { loan } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { findRule, type RuleRow, saveRule } from "../adapters/config.repository.js";
import type { LoanDb } from "../adapters/db.js";
import { findRuleProblems, type LoanPeriod, UNLIMITED } from "../domain/index.js";

/**
 * Admin `Loans.UpsertLoanRules`. The whole request is validated first (nothing
 * is written if anything is wrong); keyed upserts, so a re-run updates and
 * never duplicates, and the reply says what changed.
 */

const MINUTES_PER_DAY = 1440;

function period(minutes: number, where: string, problems: string[]): LoanPeriod {
  if (minutes % MINUTES_PER_DAY === 0) return { unit: "days", length: minutes / MINUTES_PER_DAY };
  if (minutes % 60 === 0) return { unit: "hours", length: minutes / 60 };
  problems.push(`${where}: loan_period_minutes must be whole days (a multiple of 1440) or whole hours (a multiple of 60), got ${minutes}`);
  return { unit: "days", length: 0 };
}

function toRule(r: loan.LoanRule, where: string, problems: string[]): RuleRow {
  for (const [name, value] of [["institution_id", r.institutionId], ["patron_type", r.patronType], ["item_type", r.itemType]] as const) {
    if (!value.trim()) problems.push(`${where}: ${name} is required ("*" = any)`);
  }
  const periodOf = r.loanable ? period(r.loanPeriodMinutes, where, problems) : { unit: "days" as const, length: 0 };
  if (r.renewalPeriodMinutes !== 0 && r.renewalPeriodMinutes !== r.loanPeriodMinutes) {
    problems.push(`${where}: renewal_period_minutes other than the loan period is not supported (renewals use the loan period)`);
  }
  if ((r.checkoutFee?.amountMinor ?? 0) !== 0) problems.push(`${where}: checkout_fee (rental) is not supported`);
  const perDayCurrency = r.finePerDay?.currency ?? "";
  const maxCurrency = r.maxFine?.currency ?? "";
  if (perDayCurrency && maxCurrency && perDayCurrency !== maxCurrency) {
    problems.push(`${where}: fine_per_day is in ${perDayCurrency} but max_fine in ${maxCurrency}`);
  }
  for (const c of [perDayCurrency, maxCurrency]) if (c && !/^[A-Z]{3}$/.test(c)) problems.push(`${where}: currency "${c}" is not an ISO 4217 code`);
  return {
    institutionId: r.institutionId.trim(),
    patronType: r.patronType.trim(),
    itemType: r.itemType.trim(),
    currency: perDayCurrency || maxCurrency,
    rule: {
      circulates: r.loanable,
      period: periodOf,
      renewalLimit: r.maxRenewals ?? UNLIMITED,
      maxItems: r.maxItems ?? UNLIMITED,
      fine: { perDay: r.finePerDay?.amountMinor ?? 0, max: r.maxFine?.amountMinor ?? 0, graceDays: r.graceDays },
    },
  };
}

/** Creates or replaces rules by (institution, patron type, item type), in one transaction. */
export async function upsertLoanRules(db: LoanDb, request: loan.UpsertLoanRulesRequest): Promise<loan.UpsertLoanRulesResponse> {
  const problems: string[] = [];
  const rows = request.rules.map((r, i) => toRule(r, `rules[${i}]`, problems));
  problems.push(...findRuleProblems(rows));
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  let created = 0;
  let unchanged = 0;
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const before = await findRule(trx, row);
      if (!before) created++;
      else if (before.currency === row.currency && JSON.stringify(canonical(before.rule)) === JSON.stringify(canonical(row.rule))) {
        unchanged++;
        continue;
      }
      await saveRule(trx, row);
    }
  });
  return { upserted: rows.length, created, unchanged };
}

/** jsonb does not keep key order: compare rules with sorted keys. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
