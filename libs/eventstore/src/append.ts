import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { ConcurrencyError, type ExpectedVersion, isUniqueViolation } from "./errors.js";
import type { Event, EventMetadata, NewEvent, RecordedEvent } from "./events.js";
import { readStreamVersion } from "./read.js";
import { type EventStoreDatabase, store } from "./schema.js";

/** Result of a successful {@link appendToStream}. */
export interface AppendResult<E extends Event = Event> {
  /** The stream's version after the append: the expected version of the next one. */
  nextExpectedVersion: number;
  /** The appended events as stored, in stream order. */
  events: RecordedEvent<E>[];
}

export interface InsertedRow {
  globalPosition: string;
  streamPosition: number;
  recordedAt: string;
}

interface AppendRow {
  version: number;
  inserted: InsertedRow[];
}

/**
 * Appends events to a stream with optimistic concurrency. Call it inside the
 * transaction that also updates projections and records the command outcome.
 *
 * - `expectedVersion` is the stream's last position as the caller read it
 *   (`0` or `"no_stream"`: the stream must not exist; `"any"`: no check).
 * - A mismatch, or a concurrent transaction taking the same position first
 *   (unique violation on `(stream_id, stream_position)`), throws
 *   {@link ConcurrencyError}; the surrounding transaction is then unusable and
 *   must be rolled back and retried from the read.
 *
 * The events get their commit-order stamp (`commit_seq`, the relay's order)
 * when the transaction commits. Stream order and commit order always agree:
 * position n+1 is only inserted by a transaction that saw position n
 * committed (or wrote it itself, earlier, and so stamps it first), so it
 * commits, and is stamped, after n.
 *
 * One round trip: the version check and the insert are a single statement.
 */
export async function appendToStream<DB extends EventStoreDatabase, E extends Event>(
  trx: Kysely<DB>,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent<E>[],
  metadata: EventMetadata = {},
): Promise<AppendResult<E>> {
  const expected = expectedVersion === "any" ? null : expectedVersion === "no_stream" ? 0 : expectedVersion;
  if (expected !== null && (!Number.isInteger(expected) || expected < 0)) {
    throw new RangeError(`expectedVersion must be a non-negative integer, "no_stream" or "any": ${expected}`);
  }
  const db = store(trx);
  if (events.length === 0) {
    const version = await readStreamVersion(db, streamId);
    if (expected !== null && version !== expected) throw new ConcurrencyError(streamId, expectedVersion, version);
    return { nextExpectedVersion: version, events: [] };
  }

  const { prepared, json, stored } = prepareEvents(events, metadata);

  let row: AppendRow | undefined;
  try {
    // `head`: the stream's version as of this statement. The INSERT only
    // produces rows when it matches. A concurrent writer that inserted the same
    // positions but has not committed makes this INSERT wait on the unique
    // index; once it commits we get 23505 (mapped below). Rows are inserted in
    // stream order (ORDER BY), which is also the order their global positions
    // are drawn and their commit-order stamps fire.
    const result = await sql<AppendRow>`
      WITH head AS (
        SELECT coalesce(max(stream_position), 0) AS version FROM events WHERE stream_id = ${streamId}
      ), ins AS (
        INSERT INTO events (event_id, stream_id, stream_position, type, payload, metadata, occurred_at)
        SELECT (e.value->>'eventId')::uuid, ${streamId}, head.version + e.ordinality::int,
               e.value->>'type', e.value->'data', e.value->'metadata', (e.value->>'occurredAt')::timestamptz
        FROM head, jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS e(value, ordinality)
        WHERE ${expected}::int IS NULL OR head.version = ${expected}::int
        ORDER BY e.ordinality
        RETURNING global_position, stream_position, recorded_at
      )
      SELECT head.version,
             coalesce((SELECT json_agg(json_build_object(
                 'globalPosition', global_position::text, 'streamPosition', stream_position, 'recordedAt', recorded_at) ORDER BY stream_position)
               FROM ins), '[]'::json) AS inserted
      FROM head`.execute(db);
    row = result.rows[0];
  } catch (error) {
    if (isUniqueViolation(error, "events_stream_position_key")) {
      throw new ConcurrencyError(streamId, expectedVersion, undefined, undefined, { cause: error });
    }
    throw error;
  }
  if (!row) throw new Error("append returned no row");
  if (row.inserted.length === 0) throw new ConcurrencyError(streamId, expectedVersion, row.version);

  const recorded = row.inserted.map((r, i) => recordedEvent<E>(prepared[i]!, stored[i]!, streamId, r));
  return { nextExpectedVersion: row.version + events.length, events: recorded };
}

/** An event ready to insert: its id drawn, its metadata merged, its time set. */
export interface PreparedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
}

/** An event's payload and metadata as a rebuild from the table reads them back. */
export type StoredPayload = { data: unknown; metadata: EventMetadata };

/**
 * Events as the insert sends them (`json`), and as a rebuild from the table would read
 * them back (`stored`): inline projections get the payload exactly so.
 */
export function prepareEvents(
  events: readonly NewEvent[],
  metadata: EventMetadata,
  now = new Date(),
): { prepared: PreparedEvent[]; json: string; stored: StoredPayload[] } {
  const prepared = events.map(({ type, data, eventId, occurredAt, metadata: own }) => ({
    eventId: eventId ?? randomUUID(),
    type,
    data: data ?? null,
    metadata: { ...metadata, ...own },
    occurredAt: occurredAt ?? now,
  }));
  const json = JSON.stringify(prepared);
  return { prepared, json, stored: JSON.parse(json) as StoredPayload[] };
}

/** One inserted event as the append returns it. */
export function recordedEvent<E extends Event>(e: PreparedEvent, stored: StoredPayload, streamId: string, r: InsertedRow): RecordedEvent<E> {
  return {
    type: e.type,
    data: stored.data,
    eventId: e.eventId,
    streamId,
    streamPosition: r.streamPosition,
    globalPosition: BigInt(r.globalPosition),
    metadata: stored.metadata,
    occurredAt: e.occurredAt,
    recordedAt: new Date(r.recordedAt),
  } as unknown as RecordedEvent<E>;
}
