import { fromStoredEvent } from "@circulate/contracts";
import type { Event, RecordedEvent } from "@circulate/eventstore";
import { sql } from "kysely";
import { feeTypeCode } from "../domain/index.js";
import type { FeeTrx } from "./db.js";

/**
 * Inline projection of fee events into `fee_accounts` and `fee_charges`, run in
 * the appending transaction so a GetAccount right after a 37 sees the payment.
 * It reads the stored proto JSON, exactly as a rebuild from the log would.
 */
export async function projectFeeEvents(trx: FeeTrx, events: readonly RecordedEvent<Event>[]): Promise<void> {
  for (const e of events) {
    const event = fromStoredEvent("fee", e);
    switch (event?.type) {
      case "FeeCharged": {
        const d = event.data;
        const owner = { institution_id: d.patron?.institutionId ?? "", patron_barcode: d.patron?.barcode ?? "", patron_id: d.patronId };
        const currency = d.amount?.currency ?? "";
        const amount = d.amount?.amountMinor ?? 0;
        await trx
          .insertInto("fee_charges")
          .values({
            fee_id: d.feeId,
            stream_id: e.streamId,
            ...owner,
            fee_type: feeTypeCode(d.feeType) || "01",
            currency,
            amount_minor: amount,
            outstanding_minor: amount,
            status: "outstanding",
            description: d.description,
            item_institution_id: d.item?.institutionId || null,
            item_barcode: d.item?.barcode || null,
            title: d.title || null,
            loan_id: d.loanId || null,
            source_id: d.sourceId || null,
            charged_at: d.chargedAt ?? e.occurredAt,
            position: e.streamPosition,
          })
          .onConflict((oc) => oc.column("fee_id").doNothing())
          .execute();
        await trx
          .insertInto("fee_accounts")
          .values({ stream_id: e.streamId, ...owner, currency, balance_minor: d.balanceAfter?.amountMinor ?? amount })
          .onConflict((oc) =>
            oc.column("stream_id").doUpdateSet((eb) => ({
              balance_minor: eb.ref("excluded.balance_minor"),
              currency: eb.ref("excluded.currency"),
              // Keep a known internal id when an event did not carry one.
              patron_id: sql<string>`coalesce(nullif(excluded.patron_id, ''), fee_accounts.patron_id)`,
              updated_at: sql<Date>`now()`,
            })),
          )
          .execute();
        break;
      }
      case "FeePaid": {
        const d = event.data;
        for (const a of d.allocations) await reduceOutstanding(trx, a.feeId, a.amount?.amountMinor ?? 0, "paid");
        await setBalance(trx, e.streamId, d.balanceAfter?.amountMinor ?? 0);
        break;
      }
      case "FeeWaived": {
        const d = event.data;
        await reduceOutstanding(trx, d.feeId, d.amount?.amountMinor ?? 0, "waived");
        await setBalance(trx, e.streamId, d.balanceAfter?.amountMinor ?? 0);
        break;
      }
    }
  }
}

/** Mirrors the decider's fold: a charge takes the status of whatever brought it to zero. */
async function reduceOutstanding(trx: FeeTrx, feeId: string, amount: number, closedAs: "paid" | "waived"): Promise<void> {
  await trx
    .updateTable("fee_charges")
    .set({
      outstanding_minor: sql<number>`outstanding_minor - ${amount}`,
      status: sql<string>`case when outstanding_minor - ${amount} = 0 then ${closedAs} else status end`,
      updated_at: sql<Date>`now()`,
    })
    .where("fee_id", "=", feeId)
    .execute();
}

async function setBalance(trx: FeeTrx, streamId: string, balance: number): Promise<void> {
  await trx.updateTable("fee_accounts").set({ balance_minor: balance, updated_at: sql<Date>`now()` }).where("stream_id", "=", streamId).execute();
}
