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

export interface PatronDatabase extends EventStoreDatabase {
  patrons: PatronsTable;
  institutions: InstitutionsTable;
  patron_types: PatronTypesTable;
}

export type PatronDb = Kysely<PatronDatabase>;
export type PatronTrx = Transaction<PatronDatabase>;
