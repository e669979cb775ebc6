import { fromStoredEvent, toStoredEvent } from "@circulate/contracts";
import { aggregateStream, appendToStream, type Event, type EventMetadata, type RecordedEvent } from "@circulate/eventstore";
import type { Kysely } from "kysely";
import type { ItemDatabase, ItemRow } from "../adapters/db.js";
import {
  type Circulation,
  evolveItem,
  type ItemEvent,
  type ItemId,
  type ItemState,
  initialItemState,
  type Lending,
  type MediaTypeCode,
  type RegisteredItem,
  type SecurityMarkerCode,
} from "../domain/index.js";
import { itemMessage } from "./item-views.js";

type Db = Kysely<ItemDatabase>;

/** An item stream folded: the domain state plus the internal id, which only the stored events carry. */
export interface StoredItem {
  /** Internal id; `null` until registered. */
  readonly itemId: string | null;
  readonly item: ItemState;
}

export function initialStoredItem(): StoredItem {
  return { itemId: null, item: initialItemState() };
}

/** Folds one stored event; another service's type or one this build does not know is skipped, never thrown. */
export function evolveStoredItem(state: StoredItem, stored: Event): StoredItem {
  const event = fromStoredEvent("item", stored);
  if (!event) return state;
  return {
    itemId: (event.type === "ItemRegistered" && event.data.itemId) || state.itemId,
    item: evolveItem(state.item, event),
  };
}

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
 * What a decider cannot know, set on each event of its decision: the item's
 * internal id and `current`, the item after that event (not after the whole
 * decision) as GetItem shows it, built by the same `itemMessage` so the two
 * cannot disagree. Every item event message has both fields.
 */
export function withCurrent(events: readonly ItemEvent[], stored: StoredItem, itemId: string): ItemEvent[] {
  let item = stored.item;
  return events.map((event) => {
    item = evolveItem(item, event);
    const current = item.status === "registered" ? itemMessage(itemId, item) : undefined;
    return { type: event.type, data: { ...event.data, itemId, current } } as ItemEvent;
  });
}

/** A decision's events as the store keeps them (proto3 JSON, published as is). */
export function storedItemEvents(events: readonly ItemEvent[], stored: StoredItem, itemId: string): Event[] {
  return withCurrent(events, stored, itemId).map(toStoredEvent);
}

/**
 * Appends a decision's events (optimistic concurrency on the version read) and
 * updates the projection, in the caller's transaction. Nothing to append: no-op.
 */
export async function appendItemEvents(
  trx: Db,
  loaded: LoadedItem,
  events: readonly ItemEvent[],
  options: { itemId: string; metadata?: EventMetadata },
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const stored = storedItemEvents(events, loaded.stored, options.itemId);
  const { events: recorded } = await appendToStream(trx, loaded.streamId, loaded.version, stored, options.metadata);
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
