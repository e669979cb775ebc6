import type { common } from "@circulate/contracts";
import { type Insertable, sql } from "kysely";
import type { PatronTrx, PeerFeeChargesTable, PeerHoldsTable, PeerLoansTable } from "./db.js";

/**
 * Writes of the projections of the loan, fee and hold services' events (SQL
 * only; what to write is decided in app/*-events.projection.ts). Every write
 * runs in the consumer's transaction, after {@link claimStreamPosition}.
 */

export type PeerService = "loan" | "fee" | "hold";

/**
 * Records `position` as the last applied of the peer's stream and says whether
 * the event is new. An event at or below what was applied (a redelivery, or a
 * stream replayed into a projection that already has it) returns false: the
 * caller then changes nothing. Events without a position are always applied.
 */
export async function claimStreamPosition(trx: PatronTrx, service: PeerService, streamId: string, position: number): Promise<boolean> {
  if (!streamId || position <= 0) return true;
  const row = await trx
    .insertInto("patron_peer_streams")
    .values({ service, stream_id: streamId, position })
    .onConflict((oc) =>
      oc
        .columns(["service", "stream_id"])
        .doUpdateSet({ position: (eb) => eb.ref("excluded.position") })
        .where(sql<boolean>`patron_peer_streams.position < excluded.position`),
    )
    .returning("stream_id")
    .executeTakeFirst();
  return row !== undefined;
}

/** The patron id of a card registered under exactly this institution and barcode, for events that carry only the card. */
export async function patronIdByCard(trx: PatronTrx, ref: common.PatronRef): Promise<string | undefined> {
  const row = await trx
    .selectFrom("patrons")
    .select("patron_id")
    .where("institution_id", "=", ref.institutionId)
    .where("barcode", "=", ref.barcode)
    .executeTakeFirst();
  return row?.patron_id;
}

// Loans

/**
 * Makes `loan` the item's one open loan: the stream's previous row goes (a
 * loan that ended, or the same loan as an older event left it), and so does a
 * row of the same loan written before rows named their stream.
 */
export async function writeStreamLoan(trx: PatronTrx, streamId: string, loan: Omit<Insertable<PeerLoansTable>, "stream_id">): Promise<void> {
  await deleteStreamLoan(trx, streamId, loan.loan_id);
  await trx
    .insertInto("patron_loans")
    .values({ ...loan, stream_id: streamId || null })
    .execute();
}

/** The item is not on loan: its stream's row goes, and a row of `loanId` written before rows named their stream. */
export async function deleteStreamLoan(trx: PatronTrx, streamId: string, loanId: string): Promise<void> {
  if (!streamId && !loanId) return;
  await trx
    .deleteFrom("patron_loans")
    .where((eb) => eb.or([...(streamId ? [eb("stream_id", "=", streamId)] : []), ...(loanId ? [eb("loan_id", "=", loanId)] : [])]))
    .execute();
}

/** A new due date (and recall) of a loan, for events stored before they carried the loan after them. */
export async function changeLoan(trx: PatronTrx, loanId: string, change: { due_at?: Date | null; recalled?: boolean }): Promise<void> {
  await trx
    .updateTable("patron_loans")
    .set({ ...change, updated_at: new Date() })
    .where("loan_id", "=", loanId)
    .execute();
}

// Fees

/** A new charge; one already there (the same fee id) stays as it is. */
export async function insertCharge(trx: PatronTrx, charge: Insertable<PeerFeeChargesTable>): Promise<void> {
  await trx
    .insertInto("patron_fee_charges")
    .values(charge)
    .onConflict((oc) => oc.column("fee_id").doNothing())
    .execute();
}

/** Lowers what is still owed on a charge, never below zero. */
export async function reduceOutstanding(trx: PatronTrx, feeId: string, amountMinor: number): Promise<void> {
  await trx
    .updateTable("patron_fee_charges")
    .set({ outstanding_minor: sql<number>`greatest(0, outstanding_minor - ${amountMinor})`, updated_at: new Date() })
    .where("fee_id", "=", feeId)
    .execute();
}

/**
 * Sets an account's balance (`set`) or moves it (`add`, for events that carry
 * no balance), creating the account when it is new. A known patron id is
 * kept when an event carries none.
 */
export async function writeAccountBalance(
  trx: PatronTrx,
  account: { streamId: string; patronId: string; currency: string },
  balance: { set: number } | { add: number },
): Promise<void> {
  const initial = "set" in balance ? balance.set : balance.add;
  await trx
    .insertInto("patron_fee_accounts")
    .values({ stream_id: account.streamId, patron_id: account.patronId, currency: account.currency, balance_minor: initial })
    .onConflict((oc) =>
      oc.column("stream_id").doUpdateSet({
        balance_minor: "set" in balance ? balance.set : sql<number>`patron_fee_accounts.balance_minor + ${balance.add}`,
        currency: sql<string>`coalesce(nullif(excluded.currency, ''), patron_fee_accounts.currency)`,
        patron_id: sql<string>`coalesce(nullif(excluded.patron_id, ''), patron_fee_accounts.patron_id)`,
        updated_at: new Date(),
      }),
    )
    .execute();
}

// Holds

/** The stored hold (proto3 JSON of library.hold.v1.Hold), for events that do not carry it whole. */
export async function storedHold(trx: PatronTrx, holdId: string): Promise<unknown | undefined> {
  const row = await trx.selectFrom("patron_holds").select("hold").where("hold_id", "=", holdId).executeTakeFirst();
  return row?.hold;
}

/** Writes an active hold; the tie-breaker of its queue place is the one of its first event. */
export async function upsertHold(trx: PatronTrx, row: Insertable<PeerHoldsTable>): Promise<void> {
  const { hold_id, placed_seq, ...rest } = row;
  await trx
    .insertInto("patron_holds")
    .values(row)
    .onConflict((oc) => oc.column("hold_id").doUpdateSet({ ...rest, updated_at: new Date() }))
    .execute();
}

export async function deleteHold(trx: PatronTrx, holdId: string): Promise<void> {
  await trx.deleteFrom("patron_holds").where("hold_id", "=", holdId).execute();
}
