/**
 * A tiny subscriber: another library system following Circulate's loan events.
 * It is the example in docs/events.md, kept here so it is typechecked and tested.
 */
import { type AnyEvent, events, unpackEvent } from "@circulate/contracts";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

export interface FollowOptions {
  /** JetStream stream of the loan service: `<STREAM_PREFIX>_LOAN_EVENTS` (default CIRC_LOAN_EVENTS). */
  stream: string;
  /** Durable consumer name: the stream remembers how far this subscriber got. */
  durable: string;
  onEvent(envelope: events.EventEnvelope, event: AnyEvent): Promise<void>;
}

/** Follows the stream until the returned stop() is called. */
export async function followLoans(nc: NatsConnection, options: FollowOptions): Promise<{ stop(): Promise<void> }> {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(options.stream, { durable_name: options.durable, ack_policy: AckPolicy.Explicit });
  const consumer = await jetstream(nc).consumers.get(options.stream, options.durable);
  const messages = await consumer.consume();
  const seen = new Set<string>(); // delivery is at-least-once: dedupe on the event id
  const done = (async () => {
    for await (const msg of messages) {
      const envelope = events.EventEnvelope.decode(msg.data);
      if (!seen.has(envelope.eventId)) {
        await options.onEvent(envelope, unpackEvent(envelope));
        seen.add(envelope.eventId);
      }
      msg.ack();
    }
  })();
  return {
    stop: async () => {
      await messages.close();
      await done;
    },
  };
}
