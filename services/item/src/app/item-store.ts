import { fromStoredEvent, toStoredEvent } from "@circulate/contracts";
import { aggregateStream, appendToStream, type Event, type EventMetadata, type RecordedEvent } from "@circulate/eventstore";
import type { Kysely } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { itemRowOf, writeItemRows } from "../adapters/items.repository.js";
import { evolveItem, type ItemEvent, type ItemState, initialItemState } from "../domain/index.js";
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
  const row = projectedRow(loaded, recorded);
  if (row) await writeItemRows(trx, [row]);
}

/** The `items` row after `recorded` were appended to `loaded`; null while the item is not registered. */
export function projectedRow(loaded: LoadedItem, recorded: readonly RecordedEvent[]): ReturnType<typeof itemRowOf> | null {
  const after = recorded.reduce(evolveStoredItem, loaded.stored);
  const item = after.item;
  if (item.status !== "registered" || after.itemId === null) return null;
  return itemRowOf(after.itemId, loaded.streamId, item, loaded.version + recorded.length);
}
