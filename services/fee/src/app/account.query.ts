import { type common, fee } from "@circulate/contracts";
import { type Selectable, sql } from "kysely";
import type { FeeChargesTable, FeeDb } from "../adapters/db.js";
import { feeStreamId, feeTypeOf, money } from "../domain/index.js";
import { invalid } from "./admin-error.js";
import type { FeeDeps } from "./deps.js";
import { institutionSettings } from "./institutions.js";

type ChargeRow = Selectable<FeeChargesTable>;

/**
 * `Fees.GetAccount`: balance and open charges (the fine items of 63/64, oldest
 * first, as a balance payment settles them), from the inline projection, so it
 * is as fresh as the last commit. A patron without fees gets a zero balance in
 * the institution's currency.
 */
export async function getAccount(deps: FeeDeps, request: fee.GetAccountRequest): Promise<fee.Account> {
  const key = request.key;
  if (!key) throw invalid("patron or patron_id is required");
  let query = deps.db.selectFrom("fee_accounts").selectAll();
  if (key.$case === "patron") {
    if (!key.value.barcode || !key.value.institutionId) throw invalid("patron needs institution_id and barcode");
    query = query.where("stream_id", "=", feeStreamId(key.value.institutionId, key.value.barcode));
  } else {
    if (!key.value) throw invalid("patron_id is empty");
    query = query.where("patron_id", "=", key.value);
  }
  const account = await query.executeTakeFirst();
  if (!account) {
    const institutionId = key.$case === "patron" ? key.value.institutionId : "";
    const { currency } = await institutionSettings(deps.db, institutionId, deps.defaults);
    return fee.Account.create({ patronId: key.$case === "patronId" ? key.value : "", balance: money(0, currency), charges: [] });
  }
  const rows = await deps.db
    .selectFrom("fee_charges")
    .selectAll()
    .where("stream_id", "=", account.stream_id)
    .where(sql<boolean>`outstanding_minor > 0`)
    .orderBy("charged_at")
    .orderBy("position")
    .execute();
  return fee.Account.create({
    patronId: account.patron_id,
    balance: money(Number(account.balance_minor), account.currency),
    charges: rows.map(chargeMessage),
  });
}

/** A projected charge as the contract's `Charge`. */
export function chargeMessage(row: ChargeRow): fee.Charge {
  const item: common.ItemRef | undefined = row.item_barcode
    ? { institutionId: row.item_institution_id ?? row.institution_id, barcode: row.item_barcode }
    : undefined;
  return fee.Charge.create({
    feeId: row.fee_id,
    patronId: row.patron_id,
    feeType: feeTypeOf(row.fee_type),
    amount: money(Number(row.amount_minor), row.currency),
    outstanding: money(Number(row.outstanding_minor), row.currency),
    description: row.description,
    item,
    title: row.title ?? "",
    loanId: row.loan_id ?? "",
    chargedAt: row.charged_at,
  });
}

export async function chargeById(db: FeeDb, feeId: string): Promise<ChargeRow | undefined> {
  return db.selectFrom("fee_charges").selectAll().where("fee_id", "=", feeId).executeTakeFirst();
}
