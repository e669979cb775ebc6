import { type EventType, eventCatalog, eventSubject, events, type PackedEvent, packEvent } from "@circulate/contracts";
import type { RecordedEvent, RelayMessage } from "@circulate/eventstore";

/** Maps a stored domain event to its protobuf message; the host wraps it in an EventEnvelope. */
export type EventEncoder = (event: RecordedEvent) => PackedEvent;

/**
 * The common encoder: the stored event's `data` is the domain event in the
 * proto message's JSON shape (camelCase fields, ISO dates), so the generated
 * `fromJSON` builds the message. Services with other shapes pass their own.
 */
export function protoJsonEncoder(event: RecordedEvent): PackedEvent {
  const type = event.type as EventType;
  const entry = eventCatalog.get(type);
  if (!entry) throw new Error(`no protobuf message for event ${type}`);
  const codec = entry.codec as unknown as { fromJSON(o: unknown): unknown };
  return packEvent(type, codec.fromJSON(event.data) as Parameters<typeof packEvent>[1]);
}

/** The relay's message for one stored event: an EventEnvelope on `<prefix>.evt.<service>.<Type>`. */
export function relayMessage(prefix: string, encode: EventEncoder) {
  return (event: RecordedEvent): RelayMessage => {
    const packed = encode(event);
    const meta = event.metadata;
    const envelope = events.EventEnvelope.create({
      eventId: event.eventId,
      streamId: event.streamId,
      streamPosition: event.streamPosition,
      type: packed.type,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      institutionId: typeof meta.institution === "string" ? meta.institution : "",
      correlationId: typeof meta.correlationId === "string" ? meta.correlationId : "",
      causationId: typeof meta.causationId === "string" ? meta.causationId : "",
      offline: meta.offline === true,
      payload: packed.payload,
      payloadType: packed.payloadType,
      globalPosition: Number(event.globalPosition),
    });
    return {
      subject: eventSubject(packed.type as EventType, prefix),
      data: events.EventEnvelope.encode(envelope).finish(),
    };
  };
}
