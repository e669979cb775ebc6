import { type Kysely, sql } from "kysely";
import { type Event, type EventRow, type RecordedEvent, toRecordedEvent } from "./events.js";
import { type AnyDatabase, type EventStoreDatabase, store } from "./schema.js";

/**
 * Columns of an event row with the 64-bit positions as text, so no precision
 * is lost on the way through `pg`.
 */
export const eventColumns = [
  sql<string>`global_position::text`.as("global_position"),
  "event_id",
  "stream_id",
  "stream_position",
  "type",
  "payload",
  "metadata",
  "occurred_at",
  "recorded_at",
] as const;

/** Range of a {@link readStream}. */
export interface ReadStreamOptions {
  /** First stream position to return (inclusive, 1-based). Default 1. */
  from?: number;
  /** Last stream position to return (inclusive). Default: the end. */
  to?: number;
  /** At most this many events. */
  maxCount?: number;
}

/**
 * Events of one stream in stream order. The caller vouches that the stream
 * holds `E`s (payloads are not validated). Empty for a stream that does not exist.
 */
export async function readStream<E extends Event = Event, DB extends EventStoreDatabase = AnyDatabase>(
  db: Kysely<DB>,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<RecordedEvent<E>[]> {
  let query = store(db)
    .selectFrom("events")
    .select(eventColumns)
    .where("stream_id", "=", streamId)
    .where("stream_position", ">=", options.from ?? 1)
    .orderBy("stream_position");
  if (options.to !== undefined) query = query.where("stream_position", "<=", options.to);
  if (options.maxCount !== undefined) query = query.limit(options.maxCount);
  const rows: EventRow[] = await query.execute();
  return rows.map((row) => toRecordedEvent<E>(row));
}

/** Events of many streams, each in stream order, in one query; a stream without events maps to []. */
export async function readStreams<E extends Event = Event, DB extends EventStoreDatabase = AnyDatabase>(
  db: Kysely<DB>,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent<E>[]>> {
  const streams = new Map<string, RecordedEvent<E>[]>(streamIds.map((id) => [id, []]));
  if (streamIds.length === 0) return streams;
  const rows: EventRow[] = await store(db)
    .selectFrom("events")
    .select(eventColumns)
    .where("stream_id", "in", [...streams.keys()])
    .orderBy("stream_id")
    .orderBy("stream_position")
    .execute();
  for (const row of rows) streams.get(row.stream_id)?.push(toRecordedEvent<E>(row));
  return streams;
}

/** The stream's version: its last position, 0 when it has no events. */
export async function readStreamVersion<DB extends EventStoreDatabase>(db: Kysely<DB>, streamId: string): Promise<number> {
  const row = await store(db)
    .selectFrom("events")
    .select((eb) => eb.fn.max("stream_position").as("version"))
    .where("stream_id", "=", streamId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** Current state of a stream, folded from its events. */
export interface AggregateStreamResult<S> {
  state: S;
  /** Pass as `expectedVersion` to the append that follows the decision. */
  version: number;
  streamExists: boolean;
}

/**
 * Folds a stream's events into state with a pure `evolve` (emmett's decider
 * shape). Read inside the deciding transaction so the version is consistent
 * with what the append checks.
 */
export async function aggregateStream<S, E extends Event = Event, DB extends EventStoreDatabase = AnyDatabase>(
  db: Kysely<DB>,
  streamId: string,
  evolve: (state: S, event: RecordedEvent<E>) => S,
  initialState: () => S,
): Promise<AggregateStreamResult<S>> {
  const events = await readStream<E, DB>(db, streamId);
  const state = events.reduce(evolve, initialState());
  const version = events.at(-1)?.streamPosition ?? 0;
  return { state, version, streamExists: events.length > 0 };
}

/** Events committed after the named relay's checkpoint: what it has yet to publish. */
export async function relayLag<DB extends EventStoreDatabase>(db: Kysely<DB>, name: string): Promise<number> {
  const row = await store(db)
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("commit_seq", ">", (eb) =>
      eb.fn.coalesce(eb.selectFrom("relay_checkpoints").select("commit_seq").where("name", "=", name), sql<string>`0`),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
