import type { fee } from "@circulate/contracts";
import { chargeById } from "../adapters/fee.repository.js";
import { recordedAdminResult, runAdminCommand, unwrap } from "../app/admin-command.js";
import { AdminError, invalid } from "../app/admin-error.js";
import { chargeMessage } from "../app/charge.message.js";
import type { FeeDeps } from "../app/deps.js";
import { decideWaiveFee, type WaiveFeeRefusal } from "./waive-fee.decider.js";

const WAIVE_REFUSAL: Record<WaiveFeeRefusal, "not_found" | "failed_precondition" | "invalid_argument"> = {
  fee_not_found: "not_found",
  fee_already_paid: "failed_precondition",
  amount_invalid: "invalid_argument",
};

/**
 * `Fees.WaiveFee`: forgives all (amount unset) or part of what is still owed on
 * a charge. Payments stay paid. The same request_id again answers the same.
 * FeeWaived records `staff`, who forgave it.
 */
export async function waiveFee(deps: FeeDeps, req: fee.WaiveFeeRequest): Promise<fee.WaiveFeeResponse> {
  if (!req.requestId) throw invalid("request_id is required (the idempotency key)");
  if (!req.feeId) throw invalid("fee_id is required");
  const row = await chargeById(deps.db, req.feeId);
  if (!row) throw new AdminError("not_found", `no charge ${req.feeId}`);
  if (req.amount) {
    if (!Number.isSafeInteger(req.amount.amountMinor) || req.amount.amountMinor <= 0) throw invalid("amount must be positive; unset it to waive all");
    if (req.amount.currency && req.amount.currency !== row.currency) throw invalid(`charge is in ${row.currency}, not ${req.amount.currency}`);
  }

  // Callers written before `staff` existed send none: still waived (refusing would break them), logged so they can be found.
  const staff = req.staff.trim();
  if (staff === "") deps.logger.warn({ feeId: req.feeId, requestId: req.requestId }, "WaiveFee without staff: the waiver names no one");
  const commandId = `fee-admin:WaiveFee:${req.requestId}`;
  const earlier = await recordedAdminResult(deps, commandId);
  if (earlier) unwrap(earlier);
  else {
    const patron = { institutionId: row.institution_id, barcode: row.patron_barcode };
    await runAdminCommand(deps, {
      commandId,
      streamId: row.stream_id,
      institution: row.institution_id,
      feeId: row.fee_id,
      decide: (state) => decideWaiveFee({ chargeId: row.fee_id, patron, reason: req.reason, staff, amount: req.amount?.amountMinor ?? null }, state),
      patronId: row.patron_id,
      refusal: (reason) => WAIVE_REFUSAL[reason],
    });
  }
  const after = await chargeById(deps.db, req.feeId);
  return { charge: after ? chargeMessage(after) : undefined };
}
