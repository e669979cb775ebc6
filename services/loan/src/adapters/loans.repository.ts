import type { common, loan } from "@circulate/contracts";
import type { Selectable } from "kysely";
import type { LoanDb, LoansTable, LoanTrx } from "./db.js";

/**
 * SQL of the `loans` read model: one row per item on loan, written from the
 * item's stream after each append, read by the patron service's usage facts
 * (ListLoans), the item service's due dates (GetLoan), renew and renew-all.
 */

export type LoanRow = Selectable<LoansTable>;

export type PatronKey = { $case: "patron"; value: common.PatronRef } | { $case: "patronId"; value: string };
export type ItemKey = { $case: "item"; value: common.ItemRef } | { $case: "itemId"; value: string };

/** Writes the item's loan as the stream now has it; none deletes the row. */
export async function saveLoanRow(trx: LoanTrx, streamId: string, current: loan.Loan | undefined): Promise<void> {
  if (!current) {
    await trx.deleteFrom("loans").where("stream_id", "=", streamId).execute();
    return;
  }
  const l = current;
  const row = {
    loan_id: l.loanId,
    item_id: l.itemId,
    item_institution_id: l.item?.institutionId ?? "",
    item_barcode: l.item?.barcode ?? "",
    title: l.title,
    title_id: l.titleId,
    patron_id: l.patronId,
    patron_institution_id: l.patron?.institutionId ?? "",
    patron_barcode: l.patron?.barcode ?? "",
    checked_out_at: l.checkedOutAt ?? new Date(0),
    due_at: l.dueAt ?? new Date(0),
    renewal_count: l.renewalCount,
    renewal_limit: l.renewalsRemaining === undefined ? null : l.renewalsRemaining + l.renewalCount,
    offline: l.offline,
    terminal_account: l.terminalAccount,
  };
  await trx
    .insertInto("loans")
    .values({ stream_id: streamId, ...row })
    .onConflict((oc) => oc.column("stream_id").doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

/** Items the patron has charged now (the rule's max items). */
export async function chargedCount(trx: LoanTrx, patronId: string): Promise<number> {
  const row = await trx
    .selectFrom("loans")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("patron_id", "=", patronId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

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

/** A patron's current loans, oldest first. By card, a key without an institution matches the barcode in any institution. */
export function loansByPatron(db: LoanDb, key: PatronKey): Promise<LoanRow[]> {
  let query = db.selectFrom("loans").selectAll();
  if (key.$case === "patronId") query = query.where("patron_id", "=", key.value);
  else {
    query = query.where("patron_barcode", "=", key.value.barcode);
    if (key.value.institutionId) query = query.where("patron_institution_id", "=", key.value.institutionId);
  }
  return query.orderBy("checked_out_at").orderBy("item_barcode").execute();
}

/** The current loan of an item, by its reference (owning institution + barcode) or internal id. */
export function loanOfItem(db: LoanDb, key: ItemKey): Promise<LoanRow | undefined> {
  let query = db.selectFrom("loans").selectAll();
  if (key.$case === "itemId") query = query.where("item_id", "=", key.value);
  else {
    query = query.where("item_barcode", "=", key.value.barcode);
    if (key.value.institutionId) query = query.where("item_institution_id", "=", key.value.institutionId);
  }
  return query.executeTakeFirst();
}

/** A row as the contract's loan; `overdue` as of `asOf` (past the due instant: grace days are about fines). */
export function loanOfRow(row: LoanRow, asOf: Date): loan.Loan {
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
    overdue: row.due_at.getTime() < asOf.getTime(),
    titleId: row.title_id,
    renewalsRemaining: limit === undefined ? undefined : Math.max(0, limit - row.renewal_count),
  };
}
