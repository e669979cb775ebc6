import type { events, loan } from "@circulate/contracts";
import type { FeeTrx } from "../adapters/db.js";
import { decideOnAccount, toAppend } from "../app/account.store.js";
import type { FeeDeps } from "../app/deps.js";
import { eventFeeId } from "../app/ids.js";
import { institutionSettings } from "../app/institutions.js";
import { FeeType, feeStreamId, feeTypeCode } from "../domain/index.js";
import { decideChargeFee } from "./charge-fee.decider.js";

/**
 * The loan service's `ItemCheckedOut` with a `fee` → the rental charge. Its fee
 * id derives from the event id: a redelivery charges once.
 */
export async function chargeRental(deps: FeeDeps, checkout: loan.ItemCheckedOut, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
  const patronRef = checkout.patron;
  const fee = checkout.fee!;
  if (!patronRef?.barcode) return;
  const institutionId = patronRef.institutionId || envelope.institutionId;
  const settings = await institutionSettings(trx, institutionId, deps.defaults);
  const currency = fee.amount?.currency || settings.currency;
  const { result } = await decideOnAccount(
    trx,
    feeStreamId(institutionId, patronRef.barcode),
    (state) => {
      const now = deps.now();
      const d = decideChargeFee(
        {
          chargeId: eventFeeId(envelope.eventId),
          patron: { institutionId, barcode: patronRef.barcode },
          feeType: feeTypeCode(fee.feeType) || FeeType.rental,
          amount: fee.amount?.amountMinor ?? 0,
          currency,
          description: fee.description || "rental",
          item: checkout.item ?? null,
          title: checkout.title || null,
          chargedAt: (checkout.checkedOutAt ?? now).toISOString(),
          loanId: checkout.loanId,
          sourceId: envelope.eventId,
        },
        state,
        now.toISOString(),
      );
      return { events: toAppend(d.events, { patronId: checkout.patronId, at: now }), result: d };
    },
    { institution: institutionId, correlationId: envelope.correlationId, causationId: envelope.eventId, offline: envelope.offline },
  );
  if (result.outcome === "refused") deps.logger.warn({ eventId: envelope.eventId, reason: result.reason }, "rental fee not charged");
  else deps.eventsCommitted();
}
