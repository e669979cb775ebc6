import { fee } from "@circulate/contracts";
import { findAccount, openCharges } from "../adapters/fee.repository.js";
import { invalid } from "../app/admin-error.js";
import { chargeMessage } from "../app/charge.message.js";
import type { FeeDeps } from "../app/deps.js";
import { institutionSettings } from "../app/institutions.js";
import { feeStreamId, money } from "../domain/index.js";

/**
 * `Fees.GetAccount`: balance and open charges (the fine items of 63/64, oldest
 * first, as a balance payment settles them), from the inline projection, so it
 * is as fresh as the last commit. A patron without fees gets a zero balance in
 * the institution's currency.
 */
export async function getAccount(deps: FeeDeps, request: fee.GetAccountRequest): Promise<fee.Account> {
  const key = request.key;
  if (!key) throw invalid("patron or patron_id is required");
  if (key.$case === "patron" && (!key.value.barcode || !key.value.institutionId)) throw invalid("patron needs institution_id and barcode");
  if (key.$case === "patronId" && !key.value) throw invalid("patron_id is empty");
  const account = await findAccount(
    deps.db,
    key.$case === "patron" ? { streamId: feeStreamId(key.value.institutionId, key.value.barcode) } : { patronId: key.value },
  );
  if (!account) {
    const institutionId = key.$case === "patron" ? key.value.institutionId : "";
    const { currency } = await institutionSettings(deps.db, institutionId, deps.defaults);
    return fee.Account.create({ patronId: key.$case === "patronId" ? key.value : "", balance: money(0, currency), charges: [] });
  }
  const rows = await openCharges(deps.db, account.stream_id);
  return fee.Account.create({
    patronId: account.patron_id,
    balance: money(Number(account.balance_minor), account.currency),
    charges: rows.map(chargeMessage),
  });
}
