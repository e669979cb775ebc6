import type { events } from "@circulate/contracts";
import type { Decision } from "@circulate/domain";
import type { Logger } from "@circulate/runtime";
import type { Transaction } from "kysely";
import type { ItemDatabase, ItemRow } from "../adapters/db.js";
import type { ItemEvent, ItemState } from "../domain/index.js";
import { findItemRow, findItemRowById } from "../adapters/items.repository.js";
import { appendItemEvents, loadItem } from "./item-store.js";

type Trx = Transaction<ItemDatabase>;

/** The item another service's event is about: by our internal id when it carries one, else by barcode. */
export async function itemOfEvent(
  trx: Trx,
  key: { itemId?: string; item?: { institutionId: string; barcode: string } | undefined },
): Promise<ItemRow | undefined> {
  if (key.itemId) {
    const row = await findItemRowById(trx, key.itemId);
    if (row) return row;
  }
  if (key.item?.barcode) return findItemRow(trx, { institution: key.item.institutionId, barcode: key.item.barcode });
  return undefined;
}

/**
 * Applies a decision driven by another service's event inside the consumer's
 * transaction (which also records the message as processed). A refusal is
 * logged and the event acknowledged: the other service already decided, and a
 * message retried forever would block the stream. A concurrent writer
 * (ConcurrencyError) makes the transaction fail and the message come back.
 */
export async function applyEventDecision(
  trx: Trx,
  row: ItemRow,
  envelope: events.EventEnvelope,
  decide: (state: ItemState) => Decision<ItemEvent, string, unknown>,
  options: { logger: Logger },
): Promise<Decision<ItemEvent, string, unknown>> {
  const loaded = await loadItem(trx, row.stream_id);
  const decision = decide(loaded.stored.item);
  if (decision.outcome === "refused") {
    options.logger.info(
      { event: envelope.type, eventId: envelope.eventId, item: row.barcode, reason: decision.reason, detail: decision.detail },
      "event left the item as it is",
    );
    return decision;
  }
  await appendItemEvents(trx, loaded, decision.events, {
    itemId: row.item_id,
    metadata: { institution: row.institution_id, correlationId: envelope.correlationId, causationId: envelope.eventId },
  });
  return decision;
}
