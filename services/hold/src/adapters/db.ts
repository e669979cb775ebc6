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

/** A copy as the item service's events last described it (`current` of its latest event). */
export interface ItemsTable {
  item_id: string;
  institution_id: string;
  barcode: string;
  /** The queue's title: the bibliographic record id, else `item:<item id>`. */
  title_id: string;
  title: string;
  home_location: string | null;
  circulating: boolean;
  /** The protobuf ItemState name, e.g. "ITEM_STATE_AVAILABLE". */
  state: string;
  stream_position: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Whether a copy is on loan, as the loan service's events on its loan stream last said. */
export interface ItemLoansTable {
  stream_id: string;
  institution_id: string;
  barcode: string;
  on_loan: boolean;
  loan_id: string;
  stream_position: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface HoldDb extends EventStoreDatabase {
  holds: HoldsTable;
  items: ItemsTable;
  item_loans: ItemLoansTable;
}

export type HoldDatabase = Kysely<HoldDb>;
export type HoldTransaction = Transaction<HoldDb>;
