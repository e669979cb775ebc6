import type { PubAck } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import type { RecordedEvent } from "./events.js";
import type { PublishedEvent, RelayMessage, RelayPublisher } from "./relay.js";

/** What a relay needs to publish one batch. */
export interface BatchPublisher {
  readonly js: RelayPublisher;
  readonly toMessage: (event: RecordedEvent) => RelayMessage | Promise<RelayMessage>;
  readonly publishTimeoutMs?: number;
  /** True once the relay is asked to stop: send nothing more. */
  readonly stopping: () => boolean;
}

export interface BatchResult {
  /** The events the stream acknowledged, a prefix of the batch in commit order. */
  readonly published: PublishedEvent[];
  /** Why the rest was not published (a publish or a message that could not be built). */
  readonly failure: unknown;
  /** The stream's last sequence after the batch, when the acks tell it for sure. */
  readonly streamLast: number | undefined;
}

type Sent = { ack: PubAck } | { error: unknown };

/**
 * Publishes a batch of committed events in commit order.
 *
 * With `streamLast` known (the stream's last sequence, from the acks of the
 * batch before), the whole batch is in flight at once, each message expecting
 * the stream to end at the sequence its predecessor gets: when one is lost
 * midway, the stream refuses every later one at once, so none lands ahead of
 * its retry. Servers check this before they take the message on, so a refused
 * message leaves nothing behind (a message id refused after being taken on
 * would be held as a duplicate for the whole duplicate window). Without it
 * (the first batch, and after any failure or duplicate) the batch goes one
 * message at a time, each awaiting its ack, as the acks then say where the
 * stream ends.
 */
export async function publishBatch(
  p: BatchPublisher,
  batch: readonly { event: RecordedEvent; commitSeq: bigint }[],
  streamLast: number | undefined,
): Promise<BatchResult> {
  const published: PublishedEvent[] = [];
  const answered = (i: number, sent: Sent): unknown => {
    if ("error" in sent) return sent.error ?? new Error("publish failed");
    published.push({ event: batch[i]!.event, commitSeq: batch[i]!.commitSeq, seq: sent.ack.seq, duplicate: sent.ack.duplicate });
    return undefined;
  };
  const pipelined: Promise<Sent>[] = [];
  let failure: unknown;
  let unbuilt: unknown;
  for (const [i, { event }] of batch.entries()) {
    if (p.stopping()) break;
    let message: RelayMessage;
    try {
      message = await p.toMessage(event);
    } catch (error) {
      unbuilt = error;
      break;
    }
    const sent = send(p, event, message, streamLast === undefined ? undefined : streamLast + i);
    if (streamLast !== undefined) {
      pipelined.push(sent);
      continue;
    }
    failure = answered(i, await sent);
    if (failure !== undefined) break;
  }
  // Answers of a pipelined batch in order: the published part is the prefix before the first failure.
  for (const [i, sent] of (await Promise.all(pipelined)).entries()) {
    failure = answered(i, sent);
    if (failure !== undefined) break;
  }
  failure ??= unbuilt;
  return { published, failure, streamLast: knownLast(published, streamLast, failure) };
}

/**
 * The stream's last sequence when the acks leave no doubt: nothing failed, no
 * duplicate, and consecutive sequences (from `before` + 1 when it was known).
 * Otherwise the next batch goes one message at a time.
 */
function knownLast(published: readonly PublishedEvent[], before: number | undefined, failure: unknown): number | undefined {
  if (failure !== undefined) return undefined;
  const last = published.at(-1);
  if (!last) return before;
  let previous = before === undefined ? published[0]!.seq - 1 : before;
  for (const p of published) {
    if (p.duplicate || p.seq !== previous + 1) return undefined;
    previous = p.seq;
  }
  return last.seq;
}

function send(p: BatchPublisher, event: RecordedEvent, message: RelayMessage, expectLast: number | undefined): Promise<Sent> {
  const h = natsHeaders();
  for (const [key, value] of Object.entries(message.headers ?? {})) h.set(key, value);
  return p.js
    .publish(message.subject, message.data, {
      msgID: event.eventId,
      headers: h,
      ...(expectLast === undefined ? {} : { expect: { lastSequence: expectLast } }),
      ...(p.publishTimeoutMs ? { timeout: p.publishTimeoutMs } : {}),
    })
    .then(
      (ack) => ({ ack }),
      (error: unknown) => ({ error }),
    );
}
