import { type Kysely, sql } from "kysely";
import { type InsertedRow, prepareEvents, recordedEvent } from "./append.js";
import { ConcurrencyError, isUniqueViolation } from "./errors.js";
import type { Event, EventMetadata, NewEvent, RecordedEvent } from "./events.js";
import { type EventStoreDatabase, store } from "./schema.js";

/** Events for one stream, appended after the version its writer read. */
export interface StreamAppend<E extends Event = Event> {
  readonly streamId: string;
  /** The stream's last position as read (0: it must not exist yet). */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent<E>[];
  readonly metadata?: EventMetadata;
}

/**
 * Appends to many streams in one statement, all or nothing: when any stream
 * is not at the version its writer read, nothing is inserted and
 * {@link ConcurrencyError} names the first such stream (roll back, read again).
 * For bulk writes (imports), where one statement instead of one per stream is
 * most of the cost. Each stream appears once. Rows go in in the order given,
 * stream by stream, so commit order keeps every stream's order, as
 * `appendToStream` does.
 */
export async function appendToStreams<DB extends EventStoreDatabase, E extends Event>(
  trx: Kysely<DB>,
  appends: readonly StreamAppend<E>[],
): Promise<RecordedEvent<E>[][]> {
  const seen = new Set<string>();
  for (const a of appends) {
    if (seen.has(a.streamId)) throw new RangeError(`appendToStreams: stream ${a.streamId} appears twice`);
    if (!Number.isInteger(a.expectedVersion) || a.expectedVersion < 0) throw new RangeError(`expectedVersion must be a non-negative integer: ${a.expectedVersion}`);
    seen.add(a.streamId);
  }
  const now = new Date();
  const batches = appends.map((a) => ({ append: a, ...prepareEvents(a.events, a.metadata ?? {}, now) }));
  const input = batches.filter((b) => b.prepared.length > 0).map((b) => ({ streamId: b.append.streamId, expected: b.append.expectedVersion, events: b.prepared }));
  if (input.length === 0) return appends.map(() => []);

  type Row = { mismatched: { streamId: string; expected: number; version: number }[]; inserted: (InsertedRow & { streamId: string })[] };
  let row: Row | undefined;
  try {
    // `heads`: each stream's version as of this statement; the INSERT produces
    // rows only when every one matches. A concurrent writer of the same
    // positions makes it wait on the unique index, then fail with 23505.
    const result = await sql<Row>`
      WITH input AS (
        SELECT a.value->>'streamId' AS stream_id, (a.value->>'expected')::int AS expected,
               a.ordinality AS a_ord, e.value AS ev, e.ordinality AS e_ord
        FROM jsonb_array_elements(${JSON.stringify(input)}::jsonb) WITH ORDINALITY AS a(value, ordinality)
        CROSS JOIN LATERAL jsonb_array_elements(a.value->'events') WITH ORDINALITY AS e(value, ordinality)
      ), heads AS (
        SELECT s.stream_id, s.expected,
               coalesce((SELECT max(stream_position) FROM events WHERE stream_id = s.stream_id), 0) AS version
        FROM (SELECT DISTINCT stream_id, expected FROM input) s
      ), ins AS (
        INSERT INTO events (event_id, stream_id, stream_position, type, payload, metadata, occurred_at)
        SELECT (i.ev->>'eventId')::uuid, i.stream_id, h.version + i.e_ord::int,
               i.ev->>'type', i.ev->'data', i.ev->'metadata', (i.ev->>'occurredAt')::timestamptz
        FROM input i JOIN heads h USING (stream_id)
        WHERE NOT EXISTS (SELECT 1 FROM heads WHERE version <> expected)
        ORDER BY i.a_ord, i.e_ord
        RETURNING stream_id, global_position, stream_position, recorded_at
      )
      SELECT coalesce((SELECT json_agg(json_build_object('streamId', stream_id, 'expected', expected, 'version', version))
                         FROM heads WHERE version <> expected), '[]'::json) AS mismatched,
             coalesce((SELECT json_agg(json_build_object('streamId', stream_id,
                 'globalPosition', global_position::text, 'streamPosition', stream_position, 'recordedAt', recorded_at))
               FROM ins), '[]'::json) AS inserted`.execute(store(trx));
    row = result.rows[0];
  } catch (error) {
    if (isUniqueViolation(error, "events_stream_position_key")) {
      // The server names the position taken: `Key (stream_id, stream_position)=(<id>, <n>) already exists.`
      const taken = /=\((.*), \d+\) already exists/.exec((error as { detail?: string }).detail ?? "")?.[1];
      const raced = input.find((a) => a.streamId === taken) ?? input[0]!;
      throw new ConcurrencyError(raced.streamId, raced.expected, undefined, undefined, { cause: error });
    }
    throw error;
  }
  if (!row) throw new Error("append returned no row");
  const first = row.mismatched[0];
  if (first) throw new ConcurrencyError(first.streamId, first.expected, first.version);

  const inserted = new Map(row.inserted.map((r) => [`${r.streamId}\u0000${r.streamPosition}`, r]));
  return batches.map(({ append, prepared, stored }) =>
    prepared.map((e, i) => {
      const r = inserted.get(`${append.streamId}\u0000${append.expectedVersion + i + 1}`);
      if (!r) throw new Error(`append lost ${append.streamId}@${append.expectedVersion + i + 1}`);
      return recordedEvent<E>(e, stored[i]!, append.streamId, r);
    }),
  );
}
