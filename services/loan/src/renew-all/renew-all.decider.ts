import type { DomainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import type { HoldFacts, InstitutionTime, ItemFacts, PatronFacts, TerminalFacts } from "../domain/facts.js";
import type { LoanState } from "../domain/loan.state.js";
import { decideRenew, type RenewRefusalReason } from "../renew/renew.decider.js";

/** SIP2 65 Renew All: every item the patron has on loan. */
export interface RenewAllLoans {
  readonly type: "RenewAllLoans";
  /** SIP2 AO: used by the app to find the patron. */
  readonly institutionId: string;
  readonly patronBarcode: string;
}

/** One of the patron's loans, as the app loaded it: its stream state and the facts about the item. */
export interface PatronLoanFacts {
  readonly itemBarcode: string;
  readonly state: LoanState;
  readonly item: ItemFacts;
  readonly holds: HoldFacts;
  /** The item's owning institution's calendar and zone. */
  readonly time: InstitutionTime;
}

export interface RenewAllFacts {
  readonly patron: PatronFacts;
  readonly terminal: TerminalFacts;
  readonly loans: readonly PatronLoanFacts[];
}

/** Reasons that refuse the whole request (SIP2 ok = 0); per-item reasons go in `unrenewed`. */
export const RENEW_ALL_REFUSAL_REASONS = ["patron_not_found", "pin_invalid", "pin_locked", "renewal_not_allowed"] as const satisfies readonly string[];
export type RenewAllRefusalReason = (typeof RENEW_ALL_REFUSAL_REASONS)[number];

export interface RenewedItem {
  readonly itemBarcode: string;
  readonly dueAt: string;
  readonly renewals: number;
}

export interface UnrenewedItem {
  readonly itemBarcode: string;
  readonly reason: RenewRefusalReason;
}

export interface RenewAllResult {
  readonly renewed: readonly RenewedItem[];
  readonly unrenewed: readonly UnrenewedItem[];
}

export type RenewAllDecision = Decision<DomainEvent<"loan">, RenewAllRefusalReason, RenewAllResult>;

/**
 * Identity, PIN and the terminal's renewal policy are checked once for the
 * whole request; each loan is then judged by the Renew decider, so an item
 * renews under Renew All exactly when it would under Renew. The events span
 * several streams: append each to `streamOf(event)`. Renew All has no
 * no-block field in SIP2, so it is always judged online.
 */
export function decideRenewAll(command: RenewAllLoans, facts: RenewAllFacts, now: Date): RenewAllDecision {
  const { patron } = facts;
  if (!patron.found) return refuse("patron_not_found");
  if (patron.pin === "wrong") return refuse("pin_invalid");
  if (patron.pin === "locked") return refuse("pin_locked");
  if (!facts.terminal.renewalPolicyAllows) return refuse("renewal_not_allowed");

  const terminal: TerminalFacts = { ...facts.terminal, noBlock: false, kioskDueDate: null };
  const events: DomainEvent<"loan">[] = [];
  const renewed: RenewedItem[] = [];
  const unrenewed: UnrenewedItem[] = [];
  for (const loan of facts.loans) {
    const renew = { type: "RenewLoan", institutionId: command.institutionId, patronBarcode: command.patronBarcode, itemBarcode: loan.itemBarcode, transactionAt: null } as const;
    const decision = decideRenew(renew, loan.state, { patron, item: loan.item, holds: loan.holds, terminal, time: loan.time }, now, "renew_all");
    if (decision.outcome === "accepted") {
      events.push(...decision.events);
      renewed.push({ itemBarcode: loan.itemBarcode, dueAt: decision.data.dueAt, renewals: decision.data.renewals });
    } else {
      unrenewed.push({ itemBarcode: loan.itemBarcode, reason: decision.reason });
    }
  }
  return accept<DomainEvent<"loan">, RenewAllResult>(events, { renewed, unrenewed });
}
