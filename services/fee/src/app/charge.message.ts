import { type common, fee } from "@circulate/contracts";
import type { ChargeRow } from "../adapters/fee.repository.js";
import { feeTypeOf, money } from "../domain/index.js";

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
