import { fee } from "@circulate/contracts";
import type { Event, NewEvent, RecordedEvent } from "@circulate/eventstore";
import type { FeeCharged, FeeEvent, FeePaid, FeeTypeCode, FeeWaived, PaymentTypeCode } from "../domain/index.js";
import { feeTypeCode, feeTypeOf, money, paymentTypeCode, paymentTypeOf } from "./proto-codes.js";

/**
 * Stored fee events are `{ type, data }` with `data` in the proto3 JSON shape of
 * `library.fee.v1.<type>`, so the host's `protoJsonEncoder` publishes them as is.
 * The domain's events are richer in some places (the account's currency on a
 * waiver) and poorer in others (internal patron id, terminal, loan id), so the
 * app passes that context here; this file is the only mapping in either direction.
 */

/** Who the account belongs to: its stream key plus the patron service's internal id. */
export interface AccountOwner {
  readonly institutionId: string;
  readonly barcode: string;
  /** "" when not known (e.g. an import before the patron service answered). */
  readonly patronId: string;
}

/** Facts an event needs on the wire that the domain event does not hold. */
export interface EncodeContext {
  readonly owner: AccountOwner;
  /** The account's currency (waivers carry an amount only). */
  readonly currency: string;
  /** Institution that owns the item's barcode; defaults to the account's. */
  readonly itemInstitutionId?: string;
  /** Loan of a charge that is not an overdue fine (rental, staff charge). */
  readonly loanId?: string;
  /** Request or event that caused a charge that is not an overdue fine. */
  readonly sourceId?: string;
  /** Terminal account that took a payment. */
  readonly terminalAccount?: string;
}

export type StoredFeeEvent = Event<FeeEvent["type"], unknown>;

export function encodeFeeEvent(event: FeeEvent, ctx: EncodeContext): NewEvent<StoredFeeEvent> {
  const patron = { institutionId: ctx.owner.institutionId, barcode: ctx.owner.barcode };
  const patronId = ctx.owner.patronId;
  switch (event.type) {
    case "FeeCharged":
      return {
        type: "FeeCharged",
        data: fee.FeeCharged.toJSON(
          fee.FeeCharged.create({
            feeId: event.chargeId,
            patronId,
            feeType: feeTypeOf(event.feeType),
            amount: money(event.amount, event.currency),
            description: event.description,
            item: event.itemBarcode ? { institutionId: ctx.itemInstitutionId || patron.institutionId, barcode: event.itemBarcode } : undefined,
            title: event.title ?? "",
            loanId: event.source?.loanId ?? ctx.loanId ?? "",
            sourceId: event.source?.checkinId ?? ctx.sourceId ?? "",
            patron,
            chargedAt: new Date(event.chargedAt),
            daysLate: event.source?.daysLate ?? 0,
            chargeableDays: event.source?.chargeableDays ?? 0,
            balanceAfter: money(event.balanceAfter, event.currency),
          }),
        ),
      };
    case "FeePaid":
      return {
        type: "FeePaid",
        data: fee.FeePaid.toJSON(
          fee.FeePaid.create({
            paymentId: event.paymentId,
            patronId,
            amount: money(event.amount, event.currency),
            paymentType: paymentTypeOf(event.paymentType),
            transactionId: event.transactionId ?? "",
            terminalAccount: ctx.terminalAccount ?? "",
            allocations: event.allocations.map((a) => ({ feeId: a.chargeId, amount: money(a.amount, event.currency) })),
            patron,
            feeType: feeTypeOf(event.feeType),
            balanceAfter: money(event.balanceAfter, event.currency),
          }),
        ),
        occurredAt: new Date(event.paidAt),
      };
    case "FeeWaived":
      return {
        type: "FeeWaived",
        data: fee.FeeWaived.toJSON(
          fee.FeeWaived.create({
            feeId: event.chargeId,
            patronId,
            amount: money(event.amount, ctx.currency),
            reason: event.reason,
            patron,
            balanceAfter: money(event.balanceAfter, ctx.currency),
          }),
        ),
        occurredAt: new Date(event.waivedAt),
      };
  }
}

/** A stored event back into the domain's shape, for the decider's fold. */
export function decodeFeeEvent(recorded: RecordedEvent<Event>): FeeEvent {
  const at = recorded.occurredAt.toISOString();
  switch (recorded.type) {
    case "FeeCharged": {
      const d = fee.FeeCharged.fromJSON(recorded.data);
      const currency = d.amount?.currency ?? "";
      const charged: FeeCharged = {
        type: "FeeCharged",
        patronBarcode: d.patron?.barcode ?? "",
        chargeId: d.feeId,
        feeType: (feeTypeCode(d.feeType) || "01") as FeeTypeCode,
        amount: d.amount?.amountMinor ?? 0,
        currency,
        description: d.description,
        itemBarcode: d.item?.barcode || null,
        title: d.title || null,
        chargedAt: (d.chargedAt ?? recorded.occurredAt).toISOString(),
        // Only assessed overdue fines count days late: a fine is at least one day late.
        source:
          d.daysLate > 0
            ? {
                kind: "overdue",
                loanId: d.loanId,
                checkinId: d.sourceId,
                daysLate: d.daysLate,
                chargeableDays: d.chargeableDays,
                offline: recorded.metadata.offline === true,
              }
            : null,
        balanceAfter: d.balanceAfter?.amountMinor ?? 0,
      };
      return charged;
    }
    case "FeePaid": {
      const d = fee.FeePaid.fromJSON(recorded.data);
      const paid: FeePaid = {
        type: "FeePaid",
        patronBarcode: d.patron?.barcode ?? "",
        paymentId: d.paymentId,
        amount: d.amount?.amountMinor ?? 0,
        currency: d.amount?.currency ?? "",
        allocations: d.allocations.map((a) => ({ chargeId: a.feeId, amount: a.amount?.amountMinor ?? 0 })),
        feeType: feeTypeCode(d.feeType),
        paymentType: paymentTypeCode(d.paymentType) as PaymentTypeCode,
        transactionId: d.transactionId || null,
        paidAt: at,
        balanceAfter: d.balanceAfter?.amountMinor ?? 0,
      };
      return paid;
    }
    case "FeeWaived": {
      const d = fee.FeeWaived.fromJSON(recorded.data);
      const waived: FeeWaived = {
        type: "FeeWaived",
        patronBarcode: d.patron?.barcode ?? "",
        chargeId: d.feeId,
        amount: d.amount?.amountMinor ?? 0,
        reason: d.reason,
        waivedAt: at,
        balanceAfter: d.balanceAfter?.amountMinor ?? 0,
      };
      return waived;
    }
    default:
      throw new Error(`not a fee event: ${recorded.type}`);
  }
}
