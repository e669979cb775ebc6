import type { common } from "@circulate/contracts";
import { pickItem } from "@circulate/domain";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { HoldDb, ItemLoansTable, ItemsTable } from "./db.js";

/** Reads and writes of what the hold service keeps of its peers' facts (`items`, `item_loans`). */

type Db = Kysely<HoldDb>;
export type ItemRow = Selectable<ItemsTable>;
export type ItemLoanRow = Omit<Insertable<ItemLoansTable>, "updated_at">;

/**
 * Writes a copy as an event of its stream at `position` describes it, unless a
 * later event of that stream was applied already (a late or repeated delivery).
 * A barcode names one copy per institution: a copy relabelled to it takes it over.
 */
export async function putItem(db: Db, row: Omit<ItemRow, "updated_at">): Promise<boolean> {
  const applied = await db.selectFrom("items").select("stream_position").where("item_id", "=", row.item_id).executeTakeFirst();
  if (applied && applied.stream_position >= row.stream_position) return false;
  await db
    .deleteFrom("items")
    .where("institution_id", "=", row.institution_id)
    .where("barcode", "=", row.barcode)
    .where("item_id", "<>", row.item_id)
    .execute();
  const values = { ...row, updated_at: new Date() };
  // Guarded again in the write itself: another replica may apply a later event of the same copy meanwhile.
  const result = await db
    .insertInto("items")
    .values(values)
    .onConflict((oc) => oc.column("item_id").doUpdateSet(values).where("items.stream_position", "<", row.stream_position))
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Copies named by institution + barcode, resolved by the consortium's one rule (`pickItem`). Keyed by `refKey` of the ref asked. */
export async function itemsByRef(db: Db, refs: readonly common.ItemRef[]): Promise<Map<string, ItemRow>> {
  const found = new Map<string, ItemRow>();
  if (refs.length === 0) return found;
  const rows = await db
    .selectFrom("items")
    .selectAll()
    .where("barcode", "in", [...new Set(refs.map((r) => r.barcode))])
    .orderBy("institution_id")
    .execute();
  for (const ref of refs) {
    const candidates = rows.filter((r) => r.barcode === ref.barcode).map((row) => ({ institutionId: row.institution_id, row }));
    const picked = pickItem(candidates, ref.institutionId, ref.ownInstitutionOnly);
    if (picked) found.set(refKey(ref), picked.row);
  }
  return found;
}

export function refKey(ref: Pick<common.ItemRef, "institutionId" | "barcode">): string {
  return `${encodeURIComponent(ref.institutionId)}/${ref.barcode}`;
}

/** A title id some copy or some hold belongs to. */
export async function titleExists(db: Db, titleId: string): Promise<boolean> {
  const [item, hold] = await Promise.all([
    db.selectFrom("items").select("title_id").where("title_id", "=", titleId).limit(1).executeTakeFirst(),
    db.selectFrom("holds").select("title_id").where("title_id", "=", titleId).limit(1).executeTakeFirst(),
  ]);
  return item !== undefined || hold !== undefined;
}

/** Records what an event at `position` of a copy's loan stream says, unless a later one was applied already. */
export async function putItemLoan(db: Db, row: ItemLoanRow): Promise<boolean> {
  const values = { ...row, updated_at: new Date() };
  const result = await db
    .insertInto("item_loans")
    .values(values)
    .onConflict((oc) => oc.column("stream_id").doUpdateSet(values).where("item_loans.stream_position", "<", row.stream_position))
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** The copy is on loan, as far as the loan service's events tell. */
export async function isOnLoan(db: Db, item: Pick<common.ItemRef, "institutionId" | "barcode">): Promise<boolean> {
  const row = await db
    .selectFrom("item_loans")
    .select("stream_id")
    .where("institution_id", "=", item.institutionId)
    .where("barcode", "=", item.barcode)
    .where("on_loan", "=", true)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
