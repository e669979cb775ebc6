import { aggregateStream, appendToStream, type EventMetadata, type RecordedEvent } from "@circulate/eventstore";
import type { Kysely } from "kysely";
import type { ItemDatabase, ItemRow } from "../adapters/db.js";
import { type EncodeContext, encodeItemEvent, evolveStoredItem, initialStoredItem, type StoredItem } from "../adapters/events.codec.js";
import {
  type Circulation,
  evolveItem,
  type ItemEvent,
  type ItemId,
  type Lending,
  type MediaTypeCode,
  type RegisteredItem,
  type SecurityMarkerCode,
} from "../domain/index.js";
import { itemMessage } from "./item-views.js";

type Db = Kysely<ItemDatabase>;

/** An item stream as read inside a transaction: folded state and the version to append after. */
export interface LoadedItem {
  readonly streamId: string;
  readonly version: number;
  readonly stored: StoredItem;
}

export async function loadItem(trx: Db, streamId: string): Promise<LoadedItem> {
  const { state, version } = await aggregateStream<StoredItem, RecordedEvent, ItemDatabase>(
    trx,
    streamId,
    evolveStoredItem,
    initialStoredItem,
  );
  return { streamId, version, stored: state };
}

/**
 * Encodes domain events in order, each with the state it applies to (a transit
 * names where it leaves from) and the item after it, built by the same
 * `itemMessage` GetItem uses, so the two cannot disagree.
 */
export function encodeItemEvents(
  events: readonly ItemEvent[],
  stored: StoredItem,
  itemId: string,
  ctx: Omit<EncodeContext, "itemId" | "before"> = {},
) {
  let before = stored.item;
  return events.map((event) => {
    const after = evolveItem(before, event);
    const current = after.status === "registered" ? itemMessage(itemId, after) : undefined;
    const encoded = encodeItemEvent(event, { ...ctx, itemId, before }, current);
    before = after;
    return encoded;
  });
}

/**
 * Appends a decision's events (optimistic concurrency on the version read) and
 * updates the projection, in the caller's transaction. Nothing to append: no-op.
 */
export async function appendItemEvents(
  trx: Db,
  loaded: LoadedItem,
  events: readonly ItemEvent[],
  options: { itemId: string; context?: Omit<EncodeContext, "itemId" | "before">; metadata?: EventMetadata },
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const encoded = encodeItemEvents(events, loaded.stored, options.itemId, options.context);
  const { events: recorded } = await appendToStream(trx, loaded.streamId, loaded.version, encoded, options.metadata);
  await projectItem(trx, loaded, recorded);
  return recorded;
}

/**
 * Inline projection: folds the appended events onto the state they were
 * decided on and writes the row. Called in the appending transaction, so the
 * row is never behind the stream. `last_check_in_ids` is left alone: only the
 * check-in consumer sets it (a check-in that changes nothing still counts).
 */
export async function projectItem(trx: Db, loaded: LoadedItem, recorded: readonly RecordedEvent[]): Promise<void> {
  const after = recorded.reduce(evolveStoredItem, loaded.stored);
  const item = after.item;
  if (item.status !== "registered" || after.itemId === null) return;
  const row = itemRowOf(after.itemId, loaded.streamId, item, loaded.version + recorded.length);
  const { item_id: _id, stream_id: _stream, ...changes } = row;
  await trx
    .insertInto("items")
    .values(row)
    .onConflict((oc) => oc.column("item_id").doUpdateSet({ ...changes, updated_at: new Date() }))
    .execute();
}

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
