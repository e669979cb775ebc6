import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import type { ItemFacts } from "../domain/facts.js";
import { loanTerms, type ResolvedRule } from "../domain/loan-rules.js";
import type { LoanState } from "../domain/loan.state.js";

/** One loan from a previous system (admin ImportLoans), for one item. */
export interface ImportLoan {
  readonly type: "ImportLoan";
  /** Id for the loan if it is new (the app makes it). */
  readonly loanId: string;
  readonly loanedAt: Date;
  readonly dueAt: Date;
  readonly renewals: number;
}

/** The borrower as the patron service knows them; null = unknown. */
export interface ImportPatron {
  readonly patronId: string;
  /** Institution of the card. */
  readonly institutionId: string;
  readonly barcode: string;
  readonly patronType: string;
}

export interface ImportFacts {
  readonly patron: ImportPatron | null;
  readonly item: ItemFacts;
  /** `resolveRule(rules, { item's owning institution, patron type, item type })`: the loan's terms from now on. */
  readonly rule: ResolvedRule;
  /** ISO 4217 code of the rule's fine amounts. */
  readonly currency: string;
  /** The item's stream has circulation (checkout, checkin, renewal, cancel) after its last `LoanImported`, or any when none: see `circulatedSinceImport`. */
  readonly circulatedSinceImport: boolean;
}

export const IMPORT_SKIP_REASONS = ["patron_not_found", "item_not_found", "item_on_loan_to_other", "circulation_since_import"] as const satisfies readonly string[];
export type ImportSkipReason = (typeof IMPORT_SKIP_REASONS)[number];

export interface ImportResult {
  /** `imported` = a new loan; `updated` = the patron's loan now has the record's dates; `unchanged` = it had them already. */
  readonly kind: "imported" | "updated" | "unchanged";
}

export type ImportDecision = Decision<DomainEvent<"loan">, ImportSkipReason, ImportResult>;

/**
 * Brings a loan over from a previous system, idempotently: importing the same
 * record again changes nothing, and a record whose dates changed (a re-run
 * of an import computed relative to today) replaces the dates of the
 * patron's loan instead of adding a second loan. An item on loan to someone
 * else is skipped: the import never takes an item away from a borrower.
 * Once the item has circulated here (since its last imported loan, or at all
 * when none was imported) Circulate is the record of its loans: the import
 * skips it rather than reopen a returned loan or undo a renewal with the
 * previous system's older copy. An update keeps the loan's id: it is the
 * same loan with corrected dates.
 */
export function decideImportLoan(command: ImportLoan, state: LoanState, facts: ImportFacts): ImportDecision {
  const { patron, item, rule } = facts;
  if (patron === null) return refuse("patron_not_found");
  if (!item.found) return refuse("item_not_found");
  if (facts.circulatedSinceImport) return refuse("circulation_since_import");
  const { loanedAt, dueAt } = command;
  let kind: ImportResult["kind"] = "imported";
  if (state.status === "on_loan") {
    const { loan } = state;
    if (loan.patronId !== patron.patronId) return refuse("item_on_loan_to_other", `on loan to ${loan.patronId}`);
    if (loan.loanedAt.getTime() === loanedAt.getTime() && loan.dueAt.getTime() === dueAt.getTime() && loan.renewals === command.renewals) {
      return accept<DomainEvent<"loan">, ImportResult>([], { kind: "unchanged" });
    }
    kind = "updated";
  }
  const event = domainEvent("LoanImported", {
    loanId: state.status === "on_loan" ? state.loan.loanId : command.loanId,
    itemId: item.itemId,
    item: { institutionId: item.owningInstitutionId, barcode: item.barcode },
    patronId: patron.patronId,
    patron: { institutionId: patron.institutionId, barcode: patron.barcode },
    title: item.title,
    titleId: item.titleId,
    checkedOutAt: loanedAt,
    dueAt,
    renewalCount: command.renewals,
    patronType: patron.patronType,
    itemType: item.itemType,
    terms: loanTerms(rule, facts.currency),
  });
  return accept<DomainEvent<"loan">, ImportResult>([event], { kind });
}

/**
 * Whether an item's stream has circulated since its last imported loan, from
 * the type of its last event (null = an empty stream): an import ends the
 * stream only while nothing else happened after it; any other event is a
 * kiosk's checkout, checkin, renewal or cancel.
 */
export function circulatedSinceImport(lastEventType: DomainEvent<"loan">["type"] | null): boolean {
  return lastEventType !== null && lastEventType !== "LoanImported";
}
