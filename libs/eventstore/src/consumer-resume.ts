import { DeliverPolicy, type ConsumerConfig, type JetStreamManager } from "@nats-io/jetstream";
import { type Kysely, sql } from "kysely";
import { type EventStoreDatabase, store } from "./schema.js";

/**
 * Where a durable consumer made anew starts (it was lost on the server: an
 * operator's delete, a NATS that lost its state): after the ack floor last
 * kept in Postgres, not at the stream's start. Below the floor every message
 * was acknowledged, so applied and committed; above it, messages a replica
 * applied are skipped by their dedupe records, which are kept above the floor
 * (`deleteProcessedMessagesBefore`). The highest sequence applied would not
 * do: a replica may hold an older message unapplied (one that keeps failing)
 * while the others go on. A floor of another stream (the stream was made
 * again, numbering from 1) or none: from the stream's start.
 */
export async function resumeConfig<DB extends EventStoreDatabase>(db: Kysely<DB>, jsm: JetStreamManager, stream: string, key: string): Promise<Partial<ConsumerConfig>> {
  const { created } = await jsm.streams.info(stream);
  const row = await store(db).selectFrom("consumer_checkpoints").select(["ack_floor", "stream_created"]).where("consumer", "=", key).executeTakeFirst();
  const floor = row && (row.stream_created === null || row.stream_created === created) ? Number(row.ack_floor) : 0;
  if (row && row.stream_created !== null && row.stream_created !== created) {
    // Another stream's positions mean nothing on this one.
    await store(db).updateTable("consumer_checkpoints").set({ stream_sequence: 0, ack_floor: 0, stream_created: created }).where("consumer", "=", key).execute();
  }
  return floor > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 } : { deliver_policy: DeliverPolicy.All };
}

/**
 * Keeps the server's ack floor of the durable in the consumer's checkpoint row
 * (never lowering it on the same stream). Only an existing row is updated: a
 * rebuild deletes the row to start over, and must not see it come back.
 */
export async function saveAckFloor<DB extends EventStoreDatabase>(db: Kysely<DB>, key: string, floor: number, streamCreated: string): Promise<void> {
  await sql`
    UPDATE consumer_checkpoints
    SET ack_floor = CASE WHEN stream_created IS NULL OR stream_created = ${streamCreated} THEN greatest(ack_floor, ${floor}) ELSE ${floor} END,
        stream_created = ${streamCreated}
    WHERE consumer = ${key}`.execute(store(db));
}

/** Reads the durable's ack floor every `intervalMs` and keeps it; a failed read is tried next time. */
export function keepAckFloor<DB extends EventStoreDatabase>(options: {
  db: Kysely<DB>;
  jsm: () => Promise<JetStreamManager>;
  stream: string;
  durableName: string;
  key: string;
  intervalMs: number;
}): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    const jsm = await options.jsm();
    const [consumer, stream] = await Promise.all([jsm.consumers.info(options.stream, options.durableName), jsm.streams.info(options.stream)]);
    await saveAckFloor(options.db, options.key, consumer.ack_floor.stream_seq, stream.created);
  };
  const timer = setInterval(() => {
    running = running.then(pass).catch(() => {});
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Deletes dedupe records older than `before`, at most `limit` per call, and
 * only those at or below their consumer's kept ack floor: a durable made anew
 * resumes after the floor, so nothing below it is given again (a relay
 * republishing after a crash does so within seconds; keep `before` well past
 * that). A consumer with no floor kept loses none.
 */
export async function deleteProcessedMessagesBefore<DB extends EventStoreDatabase>(db: Kysely<DB>, before: Date, limit = 10_000): Promise<number> {
  const result = await sql`
    DELETE FROM processed_messages WHERE ctid IN (
      SELECT p.ctid FROM processed_messages p JOIN consumer_checkpoints c ON c.consumer = p.consumer
      WHERE p.processed_at < ${before} AND p.stream_sequence <= c.ack_floor
      LIMIT ${limit})`.execute(store(db));
  return Number(result.numAffectedRows ?? 0);
}
