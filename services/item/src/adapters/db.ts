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

/** The last position applied of each loan or hold stream: an event at or below it changes nothing in the peer tables. */
export interface ItemPeerStreamsTable {
  service: string;
  stream_id: string;
  position: ColumnType<string, number, number>;
}

/** The open loan of an item as the loan service's events tell it (17's due date); no row = not on loan. */
export interface ItemLoansTable {
  item_id: string;
  loan_id: string;
  patron_id: string;
  patron_institution_id: string;
  patron_barcode: string;
  checked_out_at: Date | null;
  due_at: Date | null;
  renewal_count: number;
  recalled: Generated<boolean>;
  updated_at: Generated<Date>;
}

export type ActiveHoldStatus = "waiting" | "in_transit" | "available";

/**
 * An active hold as the hold service's events tell it (17's queue length,
 * trapped copy and pickup date). Closed holds have no row.
 */
export interface ItemHoldsTable {
  hold_id: string;
  /** The queue the hold counts in: the institution owning the copies that can fill it, and the title. */
  queue_institution_id: string;
  /** The queue's title key (a copy without a title id is its own title, `item:<item id>`). */
  title_id: string;
  patron_id: string;
  status: ActiveHoldStatus;
  trapped_item_institution_id: string | null;
  trapped_item_barcode: string | null;
  pickup_location: string;
  /** Last day on the hold shelf; set once the copy is there. */
  pickup_by: Date | null;
  updated_at: Generated<Date>;
}

export interface ItemDatabase extends EventStoreDatabase {
  items: ItemsTable;
  item_pending_traps: ItemPendingTrapsTable;
  item_peer_streams: ItemPeerStreamsTable;
  item_loans: ItemLoansTable;
  item_holds: ItemHoldsTable;
}

export type ItemRow = Selectable<ItemsTable>;
export type ItemLoanRow = Selectable<ItemLoansTable>;
export type ItemHoldRow = Selectable<ItemHoldsTable>;
