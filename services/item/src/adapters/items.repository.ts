import type { Kysely, Selectable, Transaction } from "kysely";
import type {
  Circulation,
  ItemId,
  Lending,
  MediaTypeCode,
  RegisteredItem,
  SecurityMarkerCode,
} from "../domain/index.js";
import type { ItemDatabase, ItemPendingTrapsTable, ItemRow } from "./db.js";

/**
 * SQL of the `items` projection and of `item_pending_traps` (what to write is
 * decided in app/item-store.ts and the loan and hold consumers).
 */

type Db = Kysely<ItemDatabase>;
type Trx = Transaction<ItemDatabase>;

/** The projection row of an item as written (`last_check_in_ids` and `updated_at` are the database's). */
export function itemRowOf(itemId: string, streamId: string, item: RegisteredItem, version: number) {
  const { record, currentLocation } = item;
  return {
    item_id: itemId,
    stream_id: streamId,
    institution_id: item.id.institution,
    barcode: item.id.barcode,
    title: record.title,
    title_id: record.titleId,
    item_type: record.itemType,
    media_type: record.mediaType,
    magnetic_media: record.magneticMedia,
    security_marker: record.securityMarker,
    permanent_location: record.permanentLocation,
    call_number: record.callNumber,
    collection_code: record.collectionCode,
    owner: record.owner,
    lending: record.lending,
    state: item.circulation.state,
    circulation: JSON.stringify(item.circulation),
    current_institution_id: currentLocation.institution,
    current_location: currentLocation.location,
    properties: item.properties,
    version,
  };
}

/** The domain state of a projected item (17 reads the row instead of folding the stream). */
export function itemFromRow(row: ItemRow): RegisteredItem {
  return {
    status: "registered",
    id: { institution: row.institution_id, barcode: row.barcode },
    record: {
      title: row.title,
      titleId: row.title_id,
      callNumber: row.call_number,
      collectionCode: row.collection_code,
      mediaType: row.media_type as MediaTypeCode,
      itemType: row.item_type,
      owner: row.owner,
      permanentLocation: row.permanent_location,
      lending: row.lending as Lending,
      magneticMedia: row.magnetic_media,
      securityMarker: row.security_marker as SecurityMarkerCode,
    },
    currentLocation: { institution: row.current_institution_id, location: row.current_location },
    properties: row.properties,
    circulation: row.circulation as Circulation,
  };
}

/**
 * The item named by institution + barcode. Consortium members share kiosks'
 * traffic: a MAIN kiosk may scan an EAST item (a return elsewhere), so when the
 * institution has no such barcode, a barcode that exactly one other
 * institution has is that item. Two or more: ambiguous, not found. A terminal
 * limited to its own institution (`ownOnly`) gets the exact match only.
 */
/** A barcode to resolve; `ownOnly` keeps the search to the named institution. */
export type ItemLookup = ItemId & { readonly ownOnly?: boolean | undefined };

export async function findItemRow(db: Db, ref: ItemLookup): Promise<ItemRow | undefined> {
  const rows = await db
    .selectFrom("items")
    .selectAll()
    .where("barcode", "=", ref.barcode)
    .orderBy("institution_id")
    .limit(50)
    .execute();
  const own = rows.find((r) => r.institution_id === ref.institution);
  if (own || ref.ownOnly) return own;
  return rows.length === 1 ? rows[0] : undefined;
}

export async function findItemRowById(db: Db, itemId: string): Promise<ItemRow | undefined> {
  return db.selectFrom("items").selectAll().where("item_id", "=", itemId).executeTakeFirst();
}

/** Items by barcode (each resolved like {@link findItemRow}) and by internal id, without duplicates. */
export async function findItemRows(db: Db, refs: readonly ItemLookup[], ids: readonly string[]): Promise<ItemRow[]> {
  const found = new Map<string, ItemRow>();
  if (ids.length > 0) {
    for (const row of await db.selectFrom("items").selectAll().where("item_id", "in", [...ids]).execute()) found.set(row.item_id, row);
  }
  if (refs.length > 0) {
    const rows = await db.selectFrom("items").selectAll().where("barcode", "in", [...new Set(refs.map((r) => r.barcode))]).execute();
    for (const ref of refs) {
      const candidates = rows.filter((r) => r.barcode === ref.barcode);
      const own = candidates.find((r) => r.institution_id === ref.institution);
      const row = own ?? (ref.ownOnly || candidates.length !== 1 ? undefined : candidates[0]);
      if (row) found.set(row.item_id, row);
    }
  }
  return [...found.values()];
}

/** Writes the rows of items (the inline projection) in one statement, keeping `last_check_in_ids`; each item at most once. */
export async function writeItemRows(trx: Db, rows: readonly ReturnType<typeof itemRowOf>[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const changed = Object.keys(first).filter((c) => c !== "item_id" && c !== "stream_id") as (keyof typeof first)[];
  await trx
    .insertInto("items")
    .values([...rows])
    .onConflict((oc) =>
      oc.column("item_id").doUpdateSet((eb) => ({
        ...Object.fromEntries(changed.map((c) => [c, eb.ref(`excluded.${c}`)])),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/** The ids of the check-in the item last saw (a HoldTrapped naming one of them applies at once). */
export async function setLastCheckInIds(trx: Trx, itemId: string, checkInIds: string[]): Promise<void> {
  await trx.updateTable("items").set({ last_check_in_ids: checkInIds }).where("item_id", "=", itemId).execute();
}

// Traps waiting for their check-in

type PendingTrap = Omit<ItemPendingTrapsTable, "recorded_at">;

/** Parks a trap until its check-in arrives; the same trap parked twice is kept once. */
export async function parkTrap(trx: Trx, trap: PendingTrap): Promise<void> {
  await trx
    .insertInto("item_pending_traps")
    .values(trap)
    .onConflict((oc) => oc.columns(["item_id", "check_in_id"]).doNothing())
    .execute();
}

/** The newest trap parked for one of the check-in's ids. */
export async function findParkedTrap(
  trx: Trx,
  itemId: string,
  checkInIds: readonly string[],
): Promise<Selectable<ItemPendingTrapsTable> | undefined> {
  return trx
    .selectFrom("item_pending_traps")
    .selectAll()
    .where("item_id", "=", itemId)
    .where("check_in_id", "in", [...checkInIds])
    .orderBy("recorded_at", "desc")
    .executeTakeFirst();
}

export async function dropParkedTraps(trx: Trx, itemId: string, checkInIds: readonly string[]): Promise<void> {
  await trx.deleteFrom("item_pending_traps").where("item_id", "=", itemId).where("check_in_id", "in", [...checkInIds]).execute();
}

/** A hold that ended takes its trap, if it still waits for a check-in, with it. */
export async function dropTrapsOfHold(trx: Trx, holdId: string): Promise<void> {
  await trx.deleteFrom("item_pending_traps").where("hold_id", "=", holdId).execute();
}
