import type { common, loan } from "@circulate/contracts";
import type { Selectable } from "kysely";
import type { LoanDb, LoansTable } from "../adapters/db.js";

/** Reads of the `loans` read model: the patron service's usage facts, the item service's due dates, renew-all. */

export type LoanRow = Selectable<LoansTable>;

/** A patron's current loans, soonest due first (ties by barcode, as renew-all and 63 lists page them). */
export function loansOfPatron(db: LoanDb, patronId: string): Promise<LoanRow[]> {
  return db.selectFrom("loans").selectAll().where("patron_id", "=", patronId).orderBy("due_at").orderBy("item_barcode").execute();
}

/** The patron's loan of a title (SIP2 29 naming the title, AJ, instead of the item): by title id, else by title. */
export async function loanOfTitle(db: LoanDb, patronId: string, title: string): Promise<LoanRow | undefined> {
  return db
    .selectFrom("loans")
    .selectAll()
    .where("patron_id", "=", patronId)
    .where((eb) => eb.or([eb("title_id", "=", title), eb("title", "=", title)]))
    .orderBy("due_at")
    .executeTakeFirst();
}

export type PatronKey = { $case: "patron"; value: common.PatronRef } | { $case: "patronId"; value: string };
export type ItemKey = { $case: "item"; value: common.ItemRef } | { $case: "itemId"; value: string };

const isOverdue = (row: LoanRow, asOf: Date) => row.due_at.getTime() < asOf.getTime();

export function toProtoLoan(row: LoanRow, asOf: Date): loan.Loan {
  const limit = row.renewal_limit === null ? undefined : Number(row.renewal_limit);
  return {
    loanId: row.loan_id,
    itemId: row.item_id,
    item: { institutionId: row.item_institution_id, barcode: row.item_barcode },
    patronId: row.patron_id,
    patron: { institutionId: row.patron_institution_id, barcode: row.patron_barcode },
    title: row.title,
    checkedOutAt: row.checked_out_at,
    dueAt: row.due_at,
    renewalCount: row.renewal_count,
    recalled: false,
    offline: row.offline,
    terminalAccount: row.terminal_account,
    overdue: isOverdue(row, asOf),
    titleId: row.title_id,
    renewalsRemaining: limit === undefined ? undefined : Math.max(0, limit - row.renewal_count),
  };
}

/**
 * A patron's current loans, oldest first, with the overdue count at `asOf`
 * (overdue = past the due instant; grace days are about fines). By card, a
 * request without an institution matches the barcode in any institution.
 */
export async function listLoans(db: LoanDb, key: PatronKey, asOf: Date): Promise<loan.ListLoansResponse> {
  let query = db.selectFrom("loans").selectAll();
  if (key.$case === "patronId") query = query.where("patron_id", "=", key.value);
  else {
    query = query.where("patron_barcode", "=", key.value.barcode);
    if (key.value.institutionId) query = query.where("patron_institution_id", "=", key.value.institutionId);
  }
  const rows = await query.orderBy("checked_out_at").orderBy("item_barcode").execute();
  return {
    loans: rows.map((r) => toProtoLoan(r, asOf)),
    overdueCount: rows.filter((r) => isOverdue(r, asOf)).length,
    recalledCount: 0,
  };
}

/** The current loan of an item, by its reference (owning institution + barcode) or internal id. */
export async function getLoan(db: LoanDb, key: ItemKey, now: Date): Promise<loan.GetLoanResponse> {
  let query = db.selectFrom("loans").selectAll();
  if (key.$case === "itemId") query = query.where("item_id", "=", key.value);
  else {
    query = query.where("item_barcode", "=", key.value.barcode);
    if (key.value.institutionId) query = query.where("item_institution_id", "=", key.value.institutionId);
  }
  const row = await query.executeTakeFirst();
  return { loan: row ? toProtoLoan(row, now) : undefined };
}
