import type { EventStoreDatabase } from "@circulate/eventstore";
import type { ColumnType, Generated, Selectable } from "kysely";

/** One row per registered item: the read model behind GetItem, GetItems and 17. */
export interface ItemsTable {
  /** Internal id (UUIDv7), given at registration; other services store it. */
  item_id: string;
  stream_id: string;
  institution_id: string;
  barcode: string;
  title: string;
  title_id: string;
  item_type: string;
  /** SIP2 `CK` code. */
  media_type: string;
  magnetic_media: boolean | null;
  /** SIP2 security marker code. */
  security_marker: string;
  permanent_location: string;
  call_number: string | null;
  collection_code: string | null;
  owner: string;
  lending: string;
  /** `Circulation["state"]`, for queries. */
  state: string;
  /** The domain's `Circulation` as JSON (pickup, transit destination and reason). */
  circulation: ColumnType<unknown, string, string>;
  current_institution_id: string;
  current_location: string;
  properties: string | null;
  /**
   * Ids of the last check-in (its causation and correlation ids, see
   * loan-events.ts): a HoldTrapped naming one of them applies at once.
   */
  last_check_in_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** Stream version the row reflects. */
  version: number;
  updated_at: Generated<Date>;
}

/**
 * A hold trap (HoldTrapped) whose check-in the item has not seen yet: the two
 * events come from different streams and may arrive in either order. The
 * check-in applies it (see loan-events.ts).
 */
export interface ItemPendingTrapsTable {
  item_id: string;
  check_in_id: string;
  hold_id: string;
  pickup_institution_id: string;
  pickup_location: string;
  in_transit: boolean;
  recorded_at: Generated<Date>;
}

export interface ItemDatabase extends EventStoreDatabase {
  items: ItemsTable;
  item_pending_traps: ItemPendingTrapsTable;
}

export type ItemRow = Selectable<ItemsTable>;
