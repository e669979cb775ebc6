import type { EventStoreDatabase } from "@circulate/eventstore";
import type { ColumnType, Generated, Kysely, Transaction } from "kysely";

/** `bigint` columns come back from `pg` as strings; amounts are far below 2^53, read them with `Number`. */
type Minor = ColumnType<string, number, number>;

/** One patron's account (one event stream), as of its latest event. */
export interface FeeAccountsTable {
  stream_id: string;
  institution_id: string;
  patron_barcode: string;
  /** The patron service's internal id; "" until an event told us. */
  patron_id: string;
  currency: string;
  balance_minor: Minor;
  updated_at: Generated<Date>;
}

/** Every charge ever made; the open ones (`outstanding_minor > 0`) are the fine items. */
export interface FeeChargesTable {
  fee_id: string;
  stream_id: string;
  institution_id: string;
  patron_barcode: string;
  patron_id: string;
  /** SIP2 fee type code, "01".."09". */
  fee_type: string;
  currency: string;
  amount_minor: Minor;
  outstanding_minor: Minor;
  status: string;
  description: string;
  item_institution_id: string | null;
  item_barcode: string | null;
  title: string | null;
  loan_id: string | null;
  source_id: string | null;
  charged_at: ColumnType<Date, Date | string, Date | string>;
  position: number;
  updated_at: Generated<Date>;
}

/** Fee settings per institution (UpsertInstitutions). */
export interface FeeInstitutionsTable {
  institution_id: string;
  name: string;
  time_zone: string;
  currency: string;
  closed_weekdays: ColumnType<number[], string, string>;
  closed_dates: ColumnType<string[], string, string>;
  updated_at: Generated<Date>;
}

export interface FeeDatabase extends EventStoreDatabase {
  fee_accounts: FeeAccountsTable;
  fee_charges: FeeChargesTable;
  fee_institutions: FeeInstitutionsTable;
}

export type FeeDb = Kysely<FeeDatabase>;
export type FeeTrx = Transaction<FeeDatabase>;
