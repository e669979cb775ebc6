import type { ColumnType, Generated, Kysely } from "kysely";

/**
 * Typed tables of the event store. A service's own database interface extends
 * this one (`interface LoanDb extends EventStoreDatabase { loans: LoansTable }`)
 * so its transactions can be handed to the event-store functions.
 */
export interface EventStoreDatabase {
  events: EventsTable;
  idempotency: IdempotencyTable;
  relay_checkpoints: RelayCheckpointsTable;
  consumer_checkpoints: ConsumerCheckpointsTable;
  processed_messages: ProcessedMessagesTable;
}

/**
 * The event log, which doubles as the outbox the relay reads. `bigint` comes
 * back from `pg` as a string; the library converts it to `bigint`.
 */
export interface EventsTable {
  global_position: ColumnType<string, never, never>;
  /**
   * Position in commit order, stamped at COMMIT by a deferred trigger; NULL
   * while the writing transaction is open (so only ever NULL to that transaction).
   */
  commit_seq: ColumnType<string | null, never, never>;
  event_id: string;
  stream_id: string;
  /** 1-based position in the stream; the stream's version is its last position. */
  stream_position: number;
  type: string;
  payload: ColumnType<unknown, string, never>;
  metadata: ColumnType<Record<string, unknown>, string, never>;
  occurred_at: ColumnType<Date, Date | string, never>;
  recorded_at: ColumnType<Date, never, never>;
}

/** `command_id → outcome` of every command a service handled (exactly-once effect). */
export interface IdempotencyTable {
  command_id: string;
  outcome: ColumnType<unknown, string, never>;
  recorded_at: Generated<Date>;
  /** Earliest time cleanup may delete the record; replays are honoured until then and after. */
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** Where each named relay got to: the commit_seq of the last event it published. */
export interface RelayCheckpointsTable {
  name: string;
  commit_seq: ColumnType<string, string | bigint, string | bigint>;
  updated_at: Generated<Date>;
}

/** Highest JetStream stream sequence each durable consumer has processed. */
export interface ConsumerCheckpointsTable {
  consumer: string;
  stream_sequence: ColumnType<string, string | number, string | number>;
  updated_at: Generated<Date>;
}

/** Message ids a consumer has already applied, for deduplicating redeliveries. */
export interface ProcessedMessagesTable {
  consumer: string;
  message_id: string;
  stream_sequence: ColumnType<string, string | number, never>;
  processed_at: Generated<Date>;
}

/**
 * Default for the `DB` type parameter of functions whose event type is usually
 * given explicitly (`readStream<LoanEvent>(trx, id)`): `Kysely<DB>` is
 * invariant in `DB`, and TypeScript cannot infer `DB` once `E` is given.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; the tables are checked at run time by the queries
export type AnyDatabase = any;

/**
 * The event store's view of a caller's database. Plugins are dropped so that,
 * for example, a service's `CamelCasePlugin` cannot rename our snake_case
 * columns underneath the queries below.
 */
export function store<DB extends EventStoreDatabase>(db: Kysely<DB>): Kysely<EventStoreDatabase> {
  return (db as unknown as Kysely<EventStoreDatabase>).withoutPlugins();
}
