import { common, fee, hold, loan } from "@circulate/contracts";
import type { PeerProjections } from "@circulate/service";
import type { PatronDb } from "../adapters/db.js";
import {
  type ChargeRow,
  feeAccountsOf,
  type HoldRow,
  holdsOf,
  type LoanRow,
  loansOf,
  openChargesOf,
} from "../adapters/usage.repository.js";
import type { UsageFacts } from "./facts.js";

/**
 * A patron's usage from this service's projections of the loan, fee and
 * (for 63) hold events, in the shape their services' ListLoans, GetAccount
 * and ListHolds answer. First the read-your-writes barrier: everything those
 * services had published when the request came is applied (a 63 right after
 * an 11 lists the new loan), or `ProjectionBehindError` by `deadline`,
 * which callers treat as the peer not answering.
 */
export async function readUsage(
  deps: { db: PatronDb; projections: PeerProjections },
  patron: { patronId: string; currency: string },
  now: Date,
  deadline: Date,
  withHolds: boolean,
): Promise<UsageFacts> {
  await deps.projections.caughtUp(withHolds ? ["loan", "fee", "hold"] : ["loan", "fee"], deadline);
  const { db } = deps;
  const [loans, accounts, charges, holds] = await Promise.all([
    loansOf(db, patron.patronId),
    feeAccountsOf(db, patron.patronId),
    openChargesOf(db, patron.patronId),
    withHolds ? holdsOf(db, patron.patronId) : Promise.resolve(undefined),
  ]);
  const usage = { loans: loanList(loans, now), account: feeAccount(patron, accounts, charges) };
  return holds ? { ...usage, holds: holdList(holds) } : usage;
}

function loanList(rows: readonly LoanRow[], now: Date): loan.ListLoansResponse {
  const loans = rows.map((r) =>
    loan.Loan.fromPartial({
      loanId: r.loan_id,
      patronId: r.patron_id,
      item: { institutionId: r.item_institution_id, barcode: r.item_barcode },
      title: r.title,
      checkedOutAt: r.checked_out_at ?? undefined,
      dueAt: r.due_at ?? undefined,
      recalled: r.recalled,
      // Past the due instant; grace days are about fines, not about being overdue.
      overdue: r.due_at !== null && r.due_at.getTime() < now.getTime(),
    }),
  );
  return loan.ListLoansResponse.create({
    loans,
    overdueCount: loans.filter((l) => l.overdue).length,
    recalledCount: loans.filter((l) => l.recalled).length,
  });
}

/** The balance of the patron's accounts (normally one); none yet = zero in the patron's currency. */
function feeAccount(
  patron: { patronId: string; currency: string },
  accounts: readonly { currency: string; balance_minor: string }[],
  charges: readonly ChargeRow[],
): fee.Account {
  const balance = accounts.reduce((sum, a) => sum + Number(a.balance_minor), 0);
  const currency = accounts.find((a) => a.currency)?.currency ?? patron.currency;
  return fee.Account.create({ patronId: patron.patronId, balance: { currency, amountMinor: balance }, charges: charges.map(charge) });
}

function charge(r: ChargeRow): fee.Charge {
  return fee.Charge.fromPartial({
    feeId: r.fee_id,
    patronId: r.patron_id,
    feeType: common.feeTypeFromJSON(r.fee_type),
    amount: { currency: r.currency, amountMinor: Number(r.amount_minor) },
    outstanding: { currency: r.currency, amountMinor: Number(r.outstanding_minor) },
    description: r.description,
    item: r.item_barcode ? { institutionId: r.item_institution_id ?? "", barcode: r.item_barcode } : undefined,
    title: r.title,
    loanId: r.loan_id,
    chargedAt: r.charged_at,
  });
}

const isAvailable = (h: hold.Hold) => h.status === hold.HoldStatus.AVAILABLE || h.status === hold.HoldStatus.IN_TRANSIT;

function holdList(rows: readonly HoldRow[]): hold.ListHoldsResponse {
  const holds = rows.map((r) => {
    const h = hold.Hold.fromJSON(r.hold);
    // A place in the queue while waiting only, as the contract says.
    return { ...h, queuePosition: h.status === hold.HoldStatus.WAITING ? Number(r.queue_position) : 0 };
  });
  return hold.ListHoldsResponse.create({
    holds,
    availableCount: holds.filter(isAvailable).length,
    unavailableCount: holds.filter((h) => h.status === hold.HoldStatus.WAITING).length,
  });
}
