import { type Insertable, type Kysely, sql, type Transaction } from "kysely";
import type { ItemDatabase, ItemHoldRow, ItemHoldsTable, ItemLoanRow, ItemLoansTable } from "./db.js";

/**
 * SQL of the loan and hold facts kept from those services' events (what to
 * write is decided in app/peer-facts.projection.ts). Every write runs in the
 * consumer's transaction, after {@link claimStreamPosition}.
 */

type Trx = Transaction<ItemDatabase>;

export type PeerService = "loan" | "hold";

/**
 * Records `position` as the last applied of the peer's stream and says whether
 * the event is new. An event at or below what was applied (a redelivery, or an
 * older event arriving after a newer one) returns false: the caller then
 * changes nothing. Events without a position are always applied.
 */
export async function claimStreamPosition(trx: Trx, service: PeerService, streamId: string, position: number): Promise<boolean> {
  if (!streamId || position <= 0) return true;
  const row = await trx
    .insertInto("item_peer_streams")
    .values({ service, stream_id: streamId, position })
    .onConflict((oc) =>
      oc
        .columns(["service", "stream_id"])
        .doUpdateSet({ position: (eb) => eb.ref("excluded.position") })
        .where(sql<boolean>`item_peer_streams.position < excluded.position`),
    )
    .returning("stream_id")
    .executeTakeFirst();
  return row !== undefined;
}

// Loans

export async function upsertLoan(trx: Trx, loan: Insertable<ItemLoansTable>): Promise<void> {
  const { item_id, ...rest } = loan;
  await trx
    .insertInto("item_loans")
    .values(loan)
    .onConflict((oc) => oc.column("item_id").doUpdateSet({ ...rest, updated_at: new Date() }))
    .execute();
}

/** Changes the item's loan if it is still the loan named (a renewal, a recall). */
export async function changeLoan(
  trx: Trx,
  itemId: string,
  loanId: string,
  change: { due_at?: Date | null; renewal_count?: number; recalled?: boolean },
): Promise<void> {
  await trx
    .updateTable("item_loans")
    .set({ ...change, updated_at: new Date() })
    .where("item_id", "=", itemId)
    .where("loan_id", "=", loanId)
    .execute();
}

export async function deleteLoan(trx: Trx, itemId: string): Promise<void> {
  await trx.deleteFrom("item_loans").where("item_id", "=", itemId).execute();
}

// Holds

export async function upsertHold(trx: Trx, hold: Insertable<ItemHoldsTable>): Promise<void> {
  const { hold_id, ...rest } = hold;
  await trx
    .insertInto("item_holds")
    .values(hold)
    .onConflict((oc) => oc.column("hold_id").doUpdateSet({ ...rest, updated_at: new Date() }))
    .execute();
}

export async function deleteHold(trx: Trx, holdId: string): Promise<void> {
  await trx.deleteFrom("item_holds").where("hold_id", "=", holdId).execute();
}

// Reads (17)

/** What the tables say about one copy: its open loan, its queue's length, and the hold it is trapped for. */
export interface StoredPeerFacts {
  readonly loan: ItemLoanRow | undefined;
  readonly queueLength: number;
  readonly trappedHold: ItemHoldRow | undefined;
}

export async function readPeerFacts(
  db: Kysely<ItemDatabase>,
  copy: { itemId: string; barcode: string; queue: { institution: string; titleId: string } },
): Promise<StoredPeerFacts> {
  const [loan, queue] = await Promise.all([
    db.selectFrom("item_loans").selectAll().where("item_id", "=", copy.itemId).executeTakeFirst(),
    db
      .selectFrom("item_holds")
      .selectAll()
      .where("queue_institution_id", "=", copy.queue.institution)
      .where("title_id", "=", copy.queue.titleId)
      .execute(),
  ]);
  const trappedHold = queue.find((h) => h.status !== "waiting" && h.trapped_item_barcode === copy.barcode);
  return { loan, queueLength: queue.length, trappedHold };
}
