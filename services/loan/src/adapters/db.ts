import type { EventStoreDatabase } from "@circulate/eventstore";
import type { ColumnType, Generated, Kysely, Transaction } from "kysely";
import type { LoanRule } from "../domain/index.js";

/**
 * Typed tables of the loan service's database (see migrations/). `bigint`
 * columns come back from `pg` as strings; timestamps as `Date`; jsonb parsed.
 */

/** One row per current loan: the read model of the item streams. */
export interface LoansTable {
  stream_id: string;
  loan_id: string;
  item_id: string;
  item_institution_id: string;
  item_barcode: string;
  title: string;
  title_id: string;
  patron_id: string;
  patron_institution_id: string;
  patron_barcode: string;
  checked_out_at: ColumnType<Date, Date | string, Date | string>;
  due_at: ColumnType<Date, Date | string, Date | string>;
  renewal_count: number;
  /** null = unlimited. */
  renewal_limit: ColumnType<string | null, number | null, number | null>;
  offline: boolean;
  terminal_account: string;
  updated_at: Generated<Date>;
}

export interface LoanRulesTable {
  institution_id: string;
  patron_type: string;
  item_type: string;
  rule: ColumnType<LoanRule, string, string>;
  currency: string;
  updated_at: Generated<Date>;
}

export interface InstitutionsTable {
  institution_id: string;
  name: ColumnType<string, string | undefined, string>;
  time_zone: string;
  currency: ColumnType<string, string | undefined, string>;
  updated_at: Generated<Date>;
}

export interface CalendarsTable {
  institution_id: string;
  location: string;
  closed_weekdays: ColumnType<number[], string, string>;
  closed_dates: ColumnType<string[], string, string>;
  updated_at: Generated<Date>;
}

/** An item as the item service's events last described it (see migrations/0002). */
export interface PeerItemsTable {
  item_id: string;
  institution_id: string;
  barcode: string;
  /** `item.Item` in proto JSON. */
  item: ColumnType<unknown, string, string>;
  /** Position in the item's stream of the event the row is from. */
  stream_position: ColumnType<string, number, number>;
  updated_at: Generated<Date>;
}

/** A hold as the hold service's events last described it. */
export interface PeerHoldsTable {
  hold_id: string;
  queue_institution_id: string;
  title_id: string;
  /** Waiting or trapped (not fulfilled, cancelled or expired). */
  active: boolean;
  /** `hold.Hold` in proto JSON. */
  hold: ColumnType<unknown, string, string>;
  /** Position in the queue's stream of the event the row is from. */
  stream_position: ColumnType<string, number, number>;
  updated_at: Generated<Date>;
}

/** A patron's display name as the patron service's events last gave it. */
export interface PeerPatronsTable {
  patron_id: string;
  name: string;
  stream_position: ColumnType<string, number, number>;
  updated_at: Generated<Date>;
}

export interface LoanDatabase extends EventStoreDatabase {
  peer_patrons: PeerPatronsTable;
  loans: LoansTable;
  peer_items: PeerItemsTable;
  peer_holds: PeerHoldsTable;
  loan_rules: LoanRulesTable;
  institutions: InstitutionsTable;
  calendars: CalendarsTable;
}

export type LoanDb = Kysely<LoanDatabase>;
export type LoanTrx = Transaction<LoanDatabase>;
