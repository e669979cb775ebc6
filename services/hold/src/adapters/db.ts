import type { EventStoreDatabase } from "@circulate/eventstore";
import type { ColumnType, Kysely, Transaction } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;

/** Where a hold is in its life, as the `holds` projection stores it. */
export type HoldRowStatus = "waiting" | "in_transit" | "available" | "fulfilled" | "cancelled" | "expired";

export const ACTIVE_STATUSES: readonly HoldRowStatus[] = ["waiting", "in_transit", "available"];

/** One row per hold ever placed (closed ones stay, with their final status). */
export interface HoldsTable {
  hold_id: string;
  stream_id: string;
  institution_id: string;
  title_id: string;
  title: string;
  patron_key: string;
  patron_id: string;
  patron_institution: string;
  patron_barcode: string;
  /** The protobuf HoldType name, e.g. "HOLD_TYPE_ANY_COPY". */
  hold_type: string;
  target_kind: "title" | "item" | "branch";
  item_barcode: string | null;
  item_id: string;
  pickup_location: string;
  status: HoldRowStatus;
  placed_at: Timestamp;
  expires_at: NullableTimestamp;
  trapped_item_barcode: string | null;
  trapped_item_id: string;
  trapped_at: NullableTimestamp;
  available_at: NullableTimestamp;
  pickup_by: NullableTimestamp;
  closed_at: NullableTimestamp;
  external_id: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A copy's title and home branch, as learned from the item service or a check-in. */
export interface KnownItemsTable {
  institution_id: string;
  barcode: string;
  item_id: string;
  title_id: string;
  title: string;
  home_location: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface HoldDb extends EventStoreDatabase {
  holds: HoldsTable;
  known_items: KnownItemsTable;
}

export type HoldDatabase = Kysely<HoldDb>;
export type HoldTransaction = Transaction<HoldDb>;
