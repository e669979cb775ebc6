import { type Kysely, sql } from "kysely";

// Migrations are frozen in time: they use `Kysely<any>` and SQL only, never the
// library's table types or helpers, so later code changes cannot alter them.

/** Creates the event log, idempotency records and relay/consumer bookkeeping. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("events")
    .addColumn("global_position", "bigserial", (c) => c.primaryKey())
    // Position in COMMIT order, stamped at commit by events_stamp_commit_order
    // (below); NULL only while the writing transaction is still open. The relay
    // publishes in this order.
    .addColumn("commit_seq", "bigint")
    .addColumn("event_id", "uuid", (c) => c.notNull())
    .addColumn("stream_id", "text", (c) => c.notNull())
    .addColumn("stream_position", "integer", (c) => c.notNull().check(sql`stream_position >= 1`))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("metadata", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("events_event_id_key", ["event_id"])
    // Optimistic concurrency backstop: two writers racing for the same position
    // collide here (SQLSTATE 23505), which appendToStream reports as ConcurrencyError.
    .addUniqueConstraint("events_stream_position_key", ["stream_id", "stream_position"])
    .execute();
  await db.schema.createIndex("events_type_idx").on("events").columns(["type", "global_position"]).execute();
  await db.schema
    .createIndex("events_commit_seq_key")
    .on("events")
    .unique()
    .column("commit_seq")
    .where(sql.ref("commit_seq"), "is not", null)
    .execute();
  await sql`CREATE SEQUENCE events_commit_seq AS bigint OWNED BY events.commit_seq`.execute(db);

  // Commit-order stamp. A deferred constraint trigger fires at COMMIT, after
  // every statement of the transaction, in the order the rows were inserted.
  // For each row it takes the transaction-level advisory lock 4848496922686866769
  // (0x4349524343534551, ASCII "CIRCCSEQ"; re-entrant, so the first row of a
  // transaction waits and the rest do not) and stamps the row with the next
  // value of events_commit_seq. Postgres releases a transaction's locks only
  // after its commit record is written and it is visible to new snapshots
  // (CommitTransaction: RecordTransactionCommit, ProcArrayEndTransaction, then
  // the lock release), so the next transaction can take a commit_seq only once
  // the previous holder is visible:
  // - commit_seq order is commit order, and a transaction's rows get
  //   consecutive values in insertion order;
  // - whoever sees commit_seq N committed also sees every committed row below
  //   N; a missing value below N was taken by a transaction that has already
  //   aborted (sequences are not transactional), so it is a permanent gap.
  // Nothing else may call nextval('events_commit_seq'). The lock serialises the
  // tail of COMMIT (including the WAL flush) of transactions that appended events.
  await sql`
    CREATE FUNCTION events_stamp_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(4848496922686866769);
      UPDATE events SET commit_seq = nextval('events_commit_seq') WHERE global_position = NEW.global_position;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`
    CREATE CONSTRAINT TRIGGER events_stamp_commit_order AFTER INSERT ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_stamp_commit_order()`.execute(db);

  await db.schema
    .createTable("idempotency")
    .addColumn("command_id", "text", (c) => c.primaryKey())
    .addColumn("outcome", "jsonb", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("idempotency_expires_at_idx").on("idempotency").column("expires_at").execute();

  await db.schema
    .createTable("relay_checkpoints")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("commit_seq", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("consumer_checkpoints")
    .addColumn("consumer", "text", (c) => c.primaryKey())
    .addColumn("stream_sequence", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("processed_messages")
    .addColumn("consumer", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("stream_sequence", "bigint", (c) => c.notNull())
    .addColumn("processed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("processed_messages_pkey", ["consumer", "message_id"])
    .execute();
  await db.schema
    .createIndex("processed_messages_processed_at_idx")
    .on("processed_messages")
    .column("processed_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["processed_messages", "consumer_checkpoints", "relay_checkpoints", "idempotency", "events"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  // The trigger and sequence went with the table.
  await sql`DROP FUNCTION IF EXISTS events_stamp_commit_order()`.execute(db);
}
