import type { fee } from "@circulate/contracts";
import { chargeById } from "../adapters/fee.repository.js";
import { adminPeerDeadline, recordedAdminResult, runAdminCommand, unwrap } from "../app/admin-command.js";
import { AdminError, invalid } from "../app/admin-error.js";
import { chargeMessage } from "../app/charge.message.js";
import type { FeeDeps } from "../app/deps.js";
import { requestedFeeId } from "../app/ids.js";
import { institutionSettings } from "../app/institutions.js";
import { feeStreamId, feeTypeCode, isCurrencyCode } from "../domain/index.js";
import { type ChargeFeeRefusal, decideChargeFee } from "./charge-fee.decider.js";

const CHARGE_REFUSAL: Record<ChargeFeeRefusal, "invalid_argument" | "failed_precondition"> = {
  amount_invalid: "invalid_argument",
  fee_type_unknown: "invalid_argument",
  dates_invalid: "invalid_argument",
  currency_mismatch: "failed_precondition",
  charge_id_taken: "failed_precondition",
};

/**
 * `Fees.ChargeFee`: a staff charge (damage, replacement…) on the patron named by
 * internal id, which the patron service resolves to the account's card. Charging
 * twice with the same request_id charges once and answers the same.
 */
export async function chargeFee(deps: FeeDeps, req: fee.ChargeFeeRequest): Promise<fee.ChargeFeeResponse> {
  if (!req.requestId) throw invalid("request_id is required (the idempotency key)");
  if (!req.patronId) throw invalid("patron_id is required");
  const feeType = feeTypeCode(req.feeType);
  if (!feeType) throw invalid("fee_type is required");
  const amount = req.amount?.amountMinor ?? 0;
  if (!Number.isSafeInteger(amount) || amount <= 0) throw invalid("amount must be a positive amount in minor units");
  if (req.amount?.currency && !isCurrencyCode(req.amount.currency)) throw invalid(`currency ${JSON.stringify(req.amount.currency)} is not ISO 4217`);

  const commandId = `fee-admin:ChargeFee:${req.requestId}`;
  const earlier = await recordedAdminResult(deps, commandId);
  const feeId = earlier ? unwrap(earlier) : await charge(deps, req, commandId, feeType, amount);
  const row = await chargeById(deps.db, feeId);
  if (!row) throw new AdminError("not_found", `charge ${feeId} not found`);
  return { charge: chargeMessage(row) };
}

async function charge(deps: FeeDeps, req: fee.ChargeFeeRequest, commandId: string, feeType: string, amount: number): Promise<string> {
  const found = await deps.patrons.getPatron({ key: { $case: "patronId", value: req.patronId } }, adminPeerDeadline());
  const ref = found?.patron;
  if (!ref?.barcode) throw new AdminError("not_found", `no patron with id ${req.patronId}`);
  const settings = await institutionSettings(deps.db, ref.institutionId, deps.defaults);
  const currency = req.amount?.currency || settings.currency;
  const chargeId = requestedFeeId(req.requestId);
  return runAdminCommand(deps, {
    commandId,
    streamId: feeStreamId(ref.institutionId, ref.barcode),
    institution: ref.institutionId,
    feeId: chargeId,
    decide: (state, now) =>
      decideChargeFee(
        {
          chargeId,
          patron: ref,
          feeType,
          amount,
          currency,
          description: req.description,
          item: req.item ?? null,
          title: null,
          chargedAt: null,
          loanId: req.loanId,
          sourceId: req.requestId,
        },
        state,
        now,
      ),
    patronId: req.patronId,
    refusal: (reason) => CHARGE_REFUSAL[reason],
  });
}
