import { type Selectable, sql } from "kysely";
import type { PatronDb, PeerFeeAccountsTable, PeerFeeChargesTable, PeerHoldsTable, PeerLoansTable } from "./db.js";

/** Reads of the peers' projections for one patron: what 23, 63, 01, 25 and VerifyPatron count and list. */

export type LoanRow = Selectable<PeerLoansTable>;
export type FeeAccountRow = Selectable<PeerFeeAccountsTable>;
export type ChargeRow = Selectable<PeerFeeChargesTable>;
export type HoldRow = Selectable<PeerHoldsTable> & { queue_position: string };

/** Open loans, oldest first (ties by barcode), as the loan service lists them. */
export function loansOf(db: PatronDb, patronId: string): Promise<LoanRow[]> {
  return db
    .selectFrom("patron_loans")
    .selectAll()
    .where("patron_id", "=", patronId)
    .orderBy("checked_out_at")
    .orderBy("item_barcode")
    .execute();
}

export function feeAccountsOf(db: PatronDb, patronId: string): Promise<FeeAccountRow[]> {
  return db.selectFrom("patron_fee_accounts").selectAll().where("patron_id", "=", patronId).orderBy("stream_id").execute();
}

/** Charges still owed, oldest first, as a balance payment settles them. */
export function openChargesOf(db: PatronDb, patronId: string): Promise<ChargeRow[]> {
  return db
    .selectFrom("patron_fee_charges")
    .selectAll()
    .where("patron_id", "=", patronId)
    .where(sql<boolean>`outstanding_minor > 0`)
    .orderBy("charged_at")
    .orderBy("stream_id")
    .orderBy("position")
    .execute();
}

/**
 * Active holds, oldest first, each with its place in its queue now: 1 + the
 * active holds of the same queue placed before it (the hold service's queue
 * order), whoever's they are, so the place moves up as holds ahead close.
 */
export function holdsOf(db: PatronDb, patronId: string): Promise<HoldRow[]> {
  return db
    .selectFrom("patron_holds as h")
    .selectAll("h")
    .select(
      sql<string>`1 + (select count(*) from patron_holds o
        where o.queue_stream_id = h.queue_stream_id and (o.placed_at, o.placed_seq) < (h.placed_at, h.placed_seq))`.as("queue_position"),
    )
    .where("h.patron_id", "=", patronId)
    .orderBy("h.placed_at")
    .orderBy("h.placed_seq")
    .orderBy("h.hold_id")
    .execute();
}
