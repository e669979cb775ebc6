import { type Selectable, sql } from "kysely";
import { FeeType } from "../domain/index.js";
import type { FeeAccountsTable, FeeChargesTable, FeeDb, FeeTrx } from "./db.js";

/** Reads of the fee projections (`fee_accounts`, `fee_charges`) and of command records. */

export type AccountRow = Selectable<FeeAccountsTable>;
export type ChargeRow = Selectable<FeeChargesTable>;

/** A patron's account, by its stream or by the patron service's internal id. */
export async function findAccount(db: FeeDb, key: { readonly streamId: string } | { readonly patronId: string }): Promise<AccountRow | undefined> {
  const query = db.selectFrom("fee_accounts").selectAll();
  return ("streamId" in key ? query.where("stream_id", "=", key.streamId) : query.where("patron_id", "=", key.patronId)).executeTakeFirst();
}

/** An account's open charges, oldest first (by when incurred, then stream order), as a balance payment settles them. */
export async function openCharges(db: FeeDb, streamId: string): Promise<ChargeRow[]> {
  return db
    .selectFrom("fee_charges")
    .selectAll()
    .where("stream_id", "=", streamId)
    .where(sql<boolean>`outstanding_minor > 0`)
    .orderBy("charged_at")
    .orderBy("position")
    .execute();
}

export async function chargeById(db: FeeDb, feeId: string): Promise<ChargeRow | undefined> {
  return db.selectFrom("fee_charges").selectAll().where("fee_id", "=", feeId).executeTakeFirst();
}

/** The loan's most recent overdue fine that was not waived (paid ones included). */
export async function latestUnwaivedOverdueFine(trx: FeeTrx, loanId: string): Promise<ChargeRow | undefined> {
  return trx
    .selectFrom("fee_charges")
    .selectAll()
    .where("loan_id", "=", loanId)
    .where("fee_type", "=", FeeType.overdue)
    .where("status", "!=", "waived")
    .orderBy("charged_at", "desc")
    .orderBy("position", "desc")
    .executeTakeFirst();
}

/** The outcome recorded under a command id, if that command was carried out before. */
export async function recordedOutcome(db: FeeDb, commandId: string): Promise<unknown> {
  const row = await db.selectFrom("idempotency").select("outcome").where("command_id", "=", commandId).executeTakeFirst();
  return row?.outcome;
}
