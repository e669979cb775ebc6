import { type AnyEvent, type AnyLoanEvent, type events, hold, isLoanEvent, type loan, loanAfter } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import type { Transaction } from "kysely";
import type { ActiveHoldStatus, ItemDatabase } from "../adapters/db.js";
import {
  changeLoan,
  claimStreamPosition,
  deleteHold,
  deleteLoan,
  type PeerService,
  upsertHold,
  upsertLoan,
} from "../adapters/peer-facts.repository.js";
import { itemOfEvent } from "./event-changes.js";

type Trx = Transaction<ItemDatabase>;
type LoanEvent<T extends AnyEvent["type"]> = Extract<AnyEvent, { type: T }>["event"];

/** Whether the event is the newest of its stream seen so far (see claimStreamPosition). */
const isNew = (trx: Trx, service: PeerService, envelope: events.EventEnvelope) =>
  claimStreamPosition(trx, service, envelope.streamId, envelope.streamPosition);

/**
 * The item's open loan, kept from the loan service's events in the consumer's
 * transaction (17 reads it instead of asking GetLoan). Every loan event carries
 * the item's loan as it is after it (`current`, unset = not on loan), so the
 * newest event of the item's loan stream is the whole truth whatever order the
 * events arrive in: the row is that loan, or gone. A loan stream is one item
 * (owner + barcode, as an item is), so the row is keyed by the item.
 */
export async function projectLoanFacts(trx: Trx, event: AnyEvent, envelope: events.EventEnvelope): Promise<void> {
  if (!isLoanEvent(event)) return;
  const current = loanAfter(event);
  if (current === "stored before current") return projectStoredBeforeCurrent(trx, event, envelope);
  const itemId = current?.itemId || (await itemIdOf(trx, event.event));
  if (!itemId || !(await isNew(trx, "loan", envelope))) return;
  if (!current) return deleteLoan(trx, itemId);
  await upsertLoan(trx, loanRow(itemId, current, current.renewalCount, current.recalled));
}

/** The fields of a loan the item's row keeps: from the loan an event carries, or from an older event's own. */
type LoanFields = Pick<loan.Loan, "loanId" | "patronId" | "patron" | "checkedOutAt" | "dueAt">;

function loanRow(itemId: string, l: LoanFields, renewalCount: number, recalled: boolean) {
  return {
    item_id: itemId,
    loan_id: l.loanId,
    patron_id: l.patronId,
    patron_institution_id: l.patron?.institutionId ?? "",
    patron_barcode: l.patron?.barcode ?? "",
    checked_out_at: l.checkedOutAt ?? null,
    due_at: l.dueAt ?? null,
    renewal_count: renewalCount,
    recalled,
  };
}

/**
 * A loan event stored before events carried `current` (an upgraded
 * deployment replaying its streams): built from the event's own fields, a
 * renewal or recall changing the loan it names.
 */
async function projectStoredBeforeCurrent(trx: Trx, event: AnyLoanEvent, envelope: events.EventEnvelope): Promise<void> {
  switch (event.type) {
    case "ItemCheckedOut":
    case "LoanImported":
    case "CheckinCancelled": {
      const e = event.event;
      const itemId = await itemIdOf(trx, e);
      if (!itemId || !(await isNew(trx, "loan", envelope))) return;
      await upsertLoan(trx, loanRow(itemId, e, event.type === "ItemCheckedOut" ? 0 : event.event.renewalCount, false));
      return;
    }
    case "LoanRenewed":
    case "RenewalCancelled":
    case "LoanRecalled": {
      const e = event.event;
      const itemId = await itemIdOf(trx, e);
      if (!itemId || !(await isNew(trx, "loan", envelope))) return;
      const change =
        event.type === "LoanRenewed"
          ? { due_at: event.event.dueAt ?? null, renewal_count: event.event.renewalCount }
          : event.type === "RenewalCancelled"
            ? { due_at: event.event.dueAt ?? null, renewal_count: event.event.renewals }
            : { due_at: event.event.dueAt ?? null, recalled: true };
      await changeLoan(trx, itemId, e.loanId, change);
      return;
    }
    default:
      return;
  }
}

/** Our id of the item a loan event is about: the one it carries, else by its barcode. */
async function itemIdOf(
  trx: Trx,
  e: Pick<LoanEvent<"LoanRecalled">, "itemId"> & { item?: { institutionId: string; barcode: string } | undefined },
): Promise<string | undefined> {
  if (e.itemId) return e.itemId;
  return (await itemOfEvent(trx, { item: e.item }))?.item_id;
}

const ACTIVE: ReadonlyMap<hold.HoldStatus, ActiveHoldStatus> = new Map([
  [hold.HoldStatus.WAITING, "waiting"],
  [hold.HoldStatus.IN_TRANSIT, "in_transit"],
  [hold.HoldStatus.AVAILABLE, "available"],
]);

/**
 * The active holds, kept from the hold service's events in the consumer's
 * transaction (17 reads them instead of asking GetQueue). Every hold event
 * carries the hold as it is after it (`current`); a hold that is no longer
 * active (fulfilled, cancelled, expired) is deleted.
 */
export async function projectHoldFacts(trx: Trx, event: AnyEvent, envelope: events.EventEnvelope, logger: Logger): Promise<void> {
  switch (event.type) {
    case "HoldPlaced":
    case "HoldChanged":
    case "HoldCancelled":
    case "HoldTrapped":
    case "HoldShelved":
    case "HoldFulfilled":
    case "HoldExpired":
    case "HoldTrapReleased":
      break;
    default:
      return;
  }
  const { holdId, current } = event.event;
  if (!current) {
    logger.warn({ event: event.type, eventId: envelope.eventId, holdId }, "hold event without the hold it left: queue facts not updated");
    return;
  }
  if (!(await isNew(trx, "hold", envelope))) return;
  const status = ACTIVE.get(current.status);
  if (!status) return deleteHold(trx, holdId);
  await upsertHold(trx, {
    hold_id: holdId,
    queue_institution_id: current.queueInstitutionId || queueInstitutionOf(envelope),
    title_id: current.titleId || event.event.titleId,
    patron_id: current.patronId,
    status,
    trapped_item_institution_id: status === "waiting" ? null : (current.trappedItem?.institutionId ?? null),
    trapped_item_barcode: status === "waiting" ? null : (current.trappedItem?.barcode ?? null),
    pickup_location: current.pickupLocation,
    pickup_by: current.pickupBy ?? null,
  });
}

/**
 * The queue's institution for a hold that does not name it: from the queue's
 * stream id, `holdq-<institution>-<title>` with `%` and `-` escaped in each
 * part, else the event's institution.
 */
function queueInstitutionOf(envelope: events.EventEnvelope): string {
  const parts = envelope.streamId.split("-");
  if (parts.length === 3 && parts[0] === "holdq") return decodeURIComponent(parts[1]!);
  return envelope.institutionId;
}
