import { item as itemPb, uuidv7 } from "@circulate/contracts";
import { ConcurrencyError } from "@circulate/eventstore";
import { InvalidArgumentError } from "@circulate/service";
import type { Kysely } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { findItemRow, itemFromRow } from "../adapters/items.repository.js";
import { appendItemEvents, loadItem } from "../app/item-store.js";
import { itemMessage } from "../app/item-views.js";
import { decideSetItemStatus, type SetItemStatus } from "./set-item-status.decider.js";

/** The item is unknown (gRPC NOT_FOUND), or its state does not allow the change (FAILED_PRECONDITION). */
export class StaffChangeRefusedError extends Error {
  override readonly name = "StaffChangeRefusedError";
  constructor(
    readonly kind: "not_found" | "failed_precondition",
    message: string,
  ) {
    super(message);
  }
}

const MAX_ATTEMPTS = 5;

function statusOf(status: itemPb.StaffItemStatus): SetItemStatus["status"] {
  if (status === itemPb.StaffItemStatus.MISSING) return "missing";
  if (status === itemPb.StaffItemStatus.FOUND) return "found";
  throw new InvalidArgumentError(["status must be MISSING or FOUND"]);
}

/**
 * `Items.SetItemStatus`: staff mark an item missing or found, recorded with
 * who and why (decideSetItemStatus has the rule). The same change again
 * records nothing, so a retried call is harmless without a request id.
 */
export async function setItemStatus(
  deps: { db: Kysely<ItemDatabase>; eventsCommitted: () => void },
  req: itemPb.SetItemStatusRequest,
): Promise<itemPb.SetItemStatusResponse> {
  const problems = [
    ...(req.item?.barcode ? [] : ["item.barcode is required"]),
    ...(req.staff.trim() === "" ? ["staff is required: who changes the item is recorded"] : []),
    ...(req.reason.trim() === "" ? ["reason is required: it is recorded with the change"] : []),
  ];
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  const status = statusOf(req.status);
  const ref = { institution: req.item!.institutionId, barcode: req.item!.barcode };
  // The exact institution: staff change their own items, never a namesake elsewhere in the consortium.
  const row = await findItemRow(deps.db, { ...ref, ownOnly: true });
  if (!row) throw new StaffChangeRefusedError("not_found", `no item ${ref.institution}/${ref.barcode}`);
  const foundAt = req.location ? { institution: req.institutionId || row.current_institution_id, location: req.location } : null;
  const command: SetItemStatus = { type: "SetItemStatus", item: ref, status, staff: req.staff, reason: req.reason, foundAt };

  for (let attempt = 1; ; attempt++) {
    try {
      const appended = await deps.db.transaction().execute(async (trx) => {
        const loaded = await loadItem(trx, row.stream_id);
        const d = decideSetItemStatus(command, loaded.stored.item);
        if (d.outcome === "refused") {
          const kind = d.reason === "item_not_found" ? "not_found" : "failed_precondition";
          throw new StaffChangeRefusedError(kind, `${status}: ${d.reason}${d.detail ? ` (${d.detail})` : ""}`);
        }
        const metadata = { institution: row.institution_id, correlationId: uuidv7() };
        return appendItemEvents(trx, loaded, d.events, { itemId: row.item_id, metadata });
      });
      if (appended.length > 0) deps.eventsCommitted();
      break;
    } catch (err) {
      // A loan event or a 19 moved the stream meanwhile: decide again on the new state.
      if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
  const after = await findItemRow(deps.db, { ...ref, ownOnly: true });
  return { item: after ? itemMessage(after.item_id, itemFromRow(after)) : undefined };
}
