import type { common } from "@circulate/contracts";
import { ACTIVE_STATUSES } from "../adapters/db.js";
import type { HoldDeps } from "./command.support.js";
import { resolveItem } from "./item-facts.js";
import type { QueueKey } from "./queue.runner.js";

/**
 * The queue of the patron's active hold that a 15 `-` or `*` means. SIP2 names
 * the patron and a title or a copy, never a hold id: a copy names its own
 * copy-specific hold, the hold it is trapped for, or else its title's queue.
 */
export async function locatePatronHold(
  deps: HoldDeps,
  patronKey: string,
  item: common.ItemRef | undefined,
  titleId: string,
  deadline: Date,
): Promise<QueueKey | null> {
  const active = deps.db
    .selectFrom("holds")
    .select(["institution_id", "title_id"])
    .where("patron_key", "=", patronKey)
    .where("status", "in", ACTIVE_STATUSES);
  const key = (row: { institution_id: string; title_id: string } | undefined) =>
    row ? { institution: row.institution_id, titleId: row.title_id } : null;

  if (titleId !== "") return key(await active.where("title_id", "=", titleId).orderBy("placed_at").limit(1).executeTakeFirst());
  if (!item) return null;
  const byCopy = await active
    .where("institution_id", "=", item.institutionId)
    .where((eb) => eb.or([eb("item_barcode", "=", item.barcode), eb("trapped_item_barcode", "=", item.barcode)]))
    .limit(1)
    .executeTakeFirst();
  if (byCopy) return key(byCopy);
  const known = await resolveItem(deps, item, deadline);
  if (!known) return null;
  return key(await active.where("institution_id", "=", item.institutionId).where("title_id", "=", known.titleId).limit(1).executeTakeFirst());
}
