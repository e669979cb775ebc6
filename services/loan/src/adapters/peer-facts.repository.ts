import { type common, hold, item } from "@circulate/contracts";
import { pickItem } from "@circulate/domain";
import { sql } from "kysely";
import type { LoanDb, LoanTrx } from "./db.js";

/** SQL of the loan service's copies of its peers' facts (peer_items, peer_holds). */

const CLOSED = new Set<hold.HoldStatus>([hold.HoldStatus.FULFILLED, hold.HoldStatus.CANCELLED, hold.HoldStatus.EXPIRED]);

/**
 * Stores items as item events say they now are (`position`: the event's in the
 * item's stream), in one statement; an older event than the one stored changes
 * nothing, and for an item named more than once the newest position counts.
 */
export async function saveItems(trx: LoanTrx, carried: readonly { current: item.Item; position: number }[]): Promise<void> {
  const newest = new Map<string, { current: item.Item; position: number }>();
  for (const c of carried) if ((newest.get(c.current.itemId)?.position ?? 0) < c.position) newest.set(c.current.itemId, c);
  if (newest.size === 0) return;
  await trx
    .insertInto("peer_items")
    .values([...newest.values()].map(({ current, position }) => itemRow(current, position)))
    .onConflict((oc) =>
      oc
        .column("item_id")
        .doUpdateSet((eb) => ({
          institution_id: eb.ref("excluded.institution_id"),
          barcode: eb.ref("excluded.barcode"),
          item: eb.ref("excluded.item"),
          stream_position: eb.ref("excluded.stream_position"),
          updated_at: sql`now()`,
        }))
        .where("peer_items.stream_position", "<", (eb) => eb.ref("excluded.stream_position")),
    )
    .execute();
}

function itemRow(current: item.Item, position: number) {
  return {
    item_id: current.itemId,
    institution_id: current.item?.institutionId ?? "",
    barcode: current.item?.barcode ?? "",
    item: JSON.stringify(item.Item.toJSON(current)),
    stream_position: position,
  };
}

/** Stores the hold as a hold event says it now is (`position`: the event's in the queue's stream). */
export async function saveHold(trx: LoanTrx, current: hold.Hold, position: number): Promise<void> {
  const row = {
    hold_id: current.holdId,
    queue_institution_id: current.queueInstitutionId,
    title_id: current.titleId,
    active: !CLOSED.has(current.status),
    hold: JSON.stringify(hold.Hold.toJSON(current)),
    stream_position: position,
  };
  const { hold_id: _, ...changes } = row;
  await trx
    .insertInto("peer_holds")
    .values(row)
    .onConflict((oc) =>
      oc
        .column("hold_id")
        .doUpdateSet({ ...changes, updated_at: sql`now()` })
        .where("peer_holds.stream_position", "<", (eb) => eb.ref("excluded.stream_position")),
    )
    .execute();
}

/** The item a scanned barcode names (the consortium rule of `pickItem`). */
export async function findItem(db: LoanDb, ref: common.ItemRef): Promise<item.Item | undefined> {
  const found = await findItems(db, [ref]);
  return found[0];
}

/** Items by reference, in order; undefined where unknown. */
export async function findItems(db: LoanDb, refs: readonly common.ItemRef[]): Promise<(item.Item | undefined)[]> {
  const barcodes = [...new Set(refs.map((r) => r.barcode).filter((b) => b !== ""))];
  if (barcodes.length === 0) return refs.map(() => undefined);
  const rows = await db.selectFrom("peer_items").select(["institution_id", "item"]).where("barcode", "in", barcodes).execute();
  const parsed = rows.map((r) => ({ institutionId: r.institution_id, item: item.Item.fromJSON(r.item) }));
  return refs.map((ref) => {
    const candidates = parsed.filter((p) => p.item.item?.barcode === ref.barcode);
    return pickItem(candidates, ref.institutionId, ref.ownInstitutionOnly ?? false)?.item;
  });
}

/** Active holds of one title's queue at one institution (the copy's owner). */
export async function queueHolds(db: LoanDb | LoanTrx, queue: { institutionId: string; titleId: string }): Promise<hold.Hold[]> {
  if (queue.titleId === "") return [];
  const rows = await db
    .selectFrom("peer_holds")
    .select("hold")
    .where("queue_institution_id", "=", queue.institutionId)
    .where("title_id", "=", queue.titleId)
    .where("active", "=", true)
    .execute();
  return rows.map((r) => hold.Hold.fromJSON(r.hold));
}

/** Stores a patron's name from a patron event (`position`: the event's in the patron's stream). */
export async function savePatronName(trx: LoanTrx, patronId: string, name: string, position: number): Promise<void> {
  await trx
    .insertInto("peer_patrons")
    .values({ patron_id: patronId, name, stream_position: position })
    .onConflict((oc) =>
      oc
        .column("patron_id")
        .doUpdateSet({ name, stream_position: position, updated_at: sql`now()` })
        .where("peer_patrons.stream_position", "<", (eb) => eb.ref("excluded.stream_position")),
    )
    .execute();
}

export async function patronName(db: LoanDb | LoanTrx, patronId: string): Promise<string> {
  const row = await db.selectFrom("peer_patrons").select("name").where("patron_id", "=", patronId).executeTakeFirst();
  return row?.name ?? "";
}

/**
 * Serialises trap decisions on one title queue within our database: two copies
 * of a title checked in at once must not both go to the first hold.
 */
export async function lockQueue(trx: LoanTrx, queue: { institutionId: string; titleId: string }): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`trap\n${queue.institutionId}\n${queue.titleId}`}, 0))`.execute(trx);
}

/**
 * Our copy of a hold, trapped by a checkin we decided, until the hold service's
 * own event (a later position) replaces it: the next checkin of the title sees
 * the hold taken.
 */
export async function markTrapped(trx: LoanTrx, trapped: hold.Hold): Promise<void> {
  await trx
    .updateTable("peer_holds")
    .set({ hold: JSON.stringify(hold.Hold.toJSON(trapped)), updated_at: sql`now()` })
    .where("hold_id", "=", trapped.holdId)
    .execute();
}
