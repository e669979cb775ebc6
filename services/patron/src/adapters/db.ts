import type { EventStoreDatabase } from "@circulate/eventstore";
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from "kysely";

/** One row per registered patron: the inline projection of its stream. No PIN hash here. */
export interface PatronsTable {
  patron_id: string;
  /** The barcode's namespace (SIP2 AO). */
  institution_id: string;
  barcode: string;
  stream_id: string;
  name: string;
  patron_type: string;
  home_institution: string;
  /** `YYYY-MM-DD` in the home institution's zone; null = never expires. */
  expiry_date: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  birth_date: string | null;
  /** SIP2 3-digit language code. */
  language: string;
  blocked: boolean;
  block_message: string;
  block_card_retained: boolean;
  /** Kiosk that blocked; "" = staff or import. */
  block_terminal: string;
  card_lost: boolean;
  pin_set: boolean;
  pin_failures: number;
  pin_locked: boolean;
  /** Stream version the row reflects. */
  version: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A `patrons` row as read. */
export type PatronRow = Selectable<PatronsTable>;

export interface InstitutionsTable {
  institution_id: string;
  name: string;
  time_zone: string;
  currency: string;
  consortium_id: string;
  /** null = the service default; 0 = never lock. */
  max_wrong_pins: number | null;
  /** Minutes a PIN lock lasts; null = until staff lift it. */
  pin_lock_minutes: number | null;
  updated_at: Generated<Date>;
}

export interface PatronTypesTable {
  institution_id: string;
  /** "*" = the institution's default policy. */
  patron_type: string;
  description: string;
  max_loans: number | null;
  max_overdue: number | null;
  max_holds: number | null;
  /** bigint: pg returns it as a string. */
  fee_limit_minor: ColumnType<string | null, number | null, number | null>;
  /** "" = the institution's currency. */
  fee_limit_currency: string;
  updated_at: Generated<Date>;
}

/** bigint: pg returns it as a string. */
type BigintColumn = ColumnType<string, number, number>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

/** The last position applied of each peer stream (loan, fee, hold): older events change nothing. */
export interface PeerStreamsTable {
  service: string;
  stream_id: string;
  position: BigintColumn;
}

/** An open loan, from loan events; the row goes when the loan ends. */
export interface PeerLoansTable {
  loan_id: string;
  /** The item's loan stream; null for rows written before loan rows were kept per stream. */
  stream_id: string | null;
  patron_id: string;
  item_institution_id: string;
  item_barcode: string;
  title: string;
  checked_out_at: Date | null;
  due_at: Date | null;
  recalled: boolean;
  updated_at: UpdatedAt;
}

/** A fee account (one fee stream), from fee events: the balance the last event left. */
export interface PeerFeeAccountsTable {
  stream_id: string;
  patron_id: string;
  currency: string;
  balance_minor: BigintColumn;
  updated_at: UpdatedAt;
}

/** A charge, from fee events; open while outstanding_minor > 0. */
export interface PeerFeeChargesTable {
  fee_id: string;
  stream_id: string;
  patron_id: string;
  /** library.common.v1.FeeType, by name. */
  fee_type: string;
  currency: string;
  amount_minor: BigintColumn;
  outstanding_minor: BigintColumn;
  description: string;
  item_institution_id: string | null;
  item_barcode: string | null;
  title: string;
  loan_id: string;
  charged_at: Date;
  position: BigintColumn;
  updated_at: UpdatedAt;
}

/** An active hold, from hold events; the row goes when the hold closes. */
export interface PeerHoldsTable {
  hold_id: string;
  patron_id: string;
  queue_stream_id: string;
  placed_at: Date;
  placed_seq: BigintColumn;
  /** library.hold.v1.HoldStatus, by name. */
  status: string;
  /** library.hold.v1.Hold in proto3 JSON. */
  hold: ColumnType<unknown, string, string>;
  updated_at: UpdatedAt;
}

export interface PatronDatabase extends EventStoreDatabase {
  patrons: PatronsTable;
  institutions: InstitutionsTable;
  patron_types: PatronTypesTable;
  patron_peer_streams: PeerStreamsTable;
  patron_loans: PeerLoansTable;
  patron_fee_accounts: PeerFeeAccountsTable;
  patron_fee_charges: PeerFeeChargesTable;
  patron_holds: PeerHoldsTable;
}

export type PatronDb = Kysely<PatronDatabase>;
export type PatronTrx = Transaction<PatronDatabase>;
