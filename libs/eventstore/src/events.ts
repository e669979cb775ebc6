/**
 * A domain event as a decider produces it: a type tag and a JSON-serialisable
 * payload. Discriminated unions of these narrow on `type`.
 */
export interface Event<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * Cross-cutting facts stored beside every event (jsonb, camelCase like proto3
 * JSON). Extra keys are kept as given.
 */
export interface EventMetadata {
  /** SIP2 institution id (`AO`) the event belongs to. */
  institution?: string;
  /** Id that ties together everything caused by one kiosk request. */
  correlationId?: string;
  /** Id of the command or event that caused this event. */
  causationId?: string;
  /** True for offline / no-block transactions applied although rules might refuse. */
  offline?: boolean;
  [key: string]: unknown;
}

/** Per-event overrides an appender may set; everything else is defaulted. */
export interface EventOptions {
  /** Defaults to a random UUID. */
  eventId?: string;
  /** Defaults to the time of the append. */
  occurredAt?: Date;
  /** Merged over the append's shared metadata. */
  metadata?: EventMetadata;
}

/** What {@link appendToStream} accepts per event. */
export type NewEvent<E extends Event = Event> = E & EventOptions;

/** Where and when an event was stored. */
export interface RecordedEventInfo {
  readonly eventId: string;
  readonly streamId: string;
  /** 1-based; the stream's version after this event. */
  readonly streamPosition: number;
  /**
   * Position in the whole log (a sequence taken at insert: unique, increasing,
   * with gaps). Insert order, not commit order: the relay publishes in commit order.
   */
  readonly globalPosition: bigint;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
}

/**
 * A stored event. Distributes over unions, so `switch (event.type)` narrows.
 * `data` is whatever JSON round-trip made of the payload (a Date becomes a string).
 */
export type RecordedEvent<E extends Event = Event> = E extends Event ? E & RecordedEventInfo : never;

/** Raw `events` row as selected with positions cast to text. */
export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_position: number;
  type: string;
  payload: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
}

/** Maps a row to the public shape. The caller vouches that the stream holds `E`s. */
export function toRecordedEvent<E extends Event>(row: EventRow): RecordedEvent<E> {
  return {
    type: row.type,
    data: row.payload,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    globalPosition: BigInt(row.global_position),
    metadata: row.metadata as EventMetadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  } as unknown as RecordedEvent<E>;
}
