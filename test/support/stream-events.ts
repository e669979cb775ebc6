import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** The event ids (`Nats-Msg-Id`) of every message on a JetStream stream, in stream order. */
export async function streamEventIds(natsUrl: string, stream: string): Promise<string[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const total = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    const ids: string[] = [];
    if (total === 0) return ids;
    const consumer = await jetstream(nc).consumers.get(stream);
    const messages = await consumer.consume({ max_messages: 500 });
    for await (const m of messages) {
      ids.push(m.headers?.get("Nats-Msg-Id") ?? `no id at ${m.seq}`);
      if (m.info.pending === 0 || ids.length >= total) break;
    }
    await messages.close();
    return ids;
  } finally {
    await nc.close();
  }
}
