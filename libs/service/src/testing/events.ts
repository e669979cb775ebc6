import {
  type AnyEvent,
  type EventOf,
  type EventType,
  eventCatalog,
  eventSubject,
  events,
  packEvent,
  unpackEvent,
  uuidv7,
} from "@circulate/contracts";
import type { JetStreamClient, JetStreamManager, PubAck } from "@nats-io/jetstream";

/** Envelope fields a test may set on a peer event; the rest are filled as a relay would. */
export interface PeerEventOptions {
  streamId?: string;
  streamPosition?: number;
  eventId?: string;
  /** Nats-Msg-Id; the event id unless a test replays one under another. */
  msgID?: string;
  institutionId?: string;
  occurredAt?: Date;
  offline?: boolean;
  /** The command or event that caused it, and the kiosk request it belongs to; new ids unless given. */
  causationId?: string;
  correlationId?: string;
}

/**
 * Publishes an event as its service's relay would (EventEnvelope on
 * `<prefix>.evt.<service>.<type>`, deduplicated by event id), for a service
 * under test that keeps a copy of that peer's facts. Fields not given take
 * their proto3 defaults. The server's ack says whether it dropped the message
 * as a duplicate (same `msgID` within the stream's window).
 */
export async function publishPeerEvent<T extends EventType>(
  js: JetStreamClient,
  subjectPrefix: string,
  type: T,
  event: Partial<EventOf<T>>,
  options: PeerEventOptions = {},
): Promise<{ envelope: events.EventEnvelope; ack: PubAck; msgID: string }> {
  const codec = eventCatalog.get(type)!.codec;
  const at = options.occurredAt ?? new Date();
  const envelope = events.EventEnvelope.create({
    eventId: options.eventId ?? uuidv7(),
    streamId: options.streamId ?? "",
    streamPosition: options.streamPosition ?? 1,
    occurredAt: at,
    recordedAt: at,
    institutionId: options.institutionId ?? "MAIN",
    correlationId: options.correlationId ?? uuidv7(),
    causationId: options.causationId ?? uuidv7(),
    offline: options.offline ?? false,
    ...packEvent(type, codec.fromPartial(event) as EventOf<T>),
  });
  const msgID = options.msgID ?? envelope.eventId;
  const ack = await js.publish(eventSubject(type, subjectPrefix), events.EventEnvelope.encode(envelope).finish(), { msgID });
  return { envelope, ack, msgID };
}

/** The event as the relay published it to a stream, waiting for the relay (at most `timeoutMs`). */
export async function publishedEvent(
  jsm: JetStreamManager,
  stream: string,
  eventId: string,
  timeoutMs = 10_000,
): Promise<{ subject: string; envelope: events.EventEnvelope; event: AnyEvent }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await jsm.streams.info(stream);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!msg || msg.header.get("Nats-Msg-Id") !== eventId) continue;
      const envelope = events.EventEnvelope.decode(msg.data);
      return { subject: msg.subject, envelope, event: unpackEvent(envelope) };
    }
    if (Date.now() > deadline) throw new Error(`event ${eventId} was not published`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
