import { type AnyEvent, eventSubject, events, loan, packEvent } from "@circulate/contracts";
import { createTestNats, type TestNats } from "@circulate/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followLoans } from "../examples/follow-loans.js";
import { eventStreamName } from "../src/index.js";

describe("the subscriber example of docs/events.md", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  beforeAll(async () => {
    nats = await createTestNats();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.drain();
    await nats?.cleanup();
  });

  it("receives a loan event published the way the relay publishes it, once even when sent twice", async () => {
    const stream = eventStreamName(nats.streamPrefix, "loan");
    await (await jetstreamManager(nc)).streams.add({ name: stream, subjects: [`${nats.subjectPrefix}.evt.loan.>`] });
    const checkedOut = packEvent("ItemCheckedOut", loan.ItemCheckedOut.fromPartial({ loanId: "loan-1", item: { institutionId: "MAIN", barcode: "I0001" } }));
    const envelope = events.EventEnvelope.fromPartial({ eventId: "ev-1", streamId: "loan-MAIN-I0001", type: checkedOut.type, payloadType: checkedOut.payloadType, payload: checkedOut.payload });
    const js = jetstream(nc);
    for (let i = 0; i < 2; i++) {
      // msgID dedupes at the server; the example also dedupes, for redeliveries.
      await js.publish(eventSubject("ItemCheckedOut", nats.subjectPrefix), events.EventEnvelope.encode(envelope).finish(), { msgID: `${envelope.eventId}-${i}` });
    }

    const received: AnyEvent[] = [];
    const follower = await followLoans(nc, { stream, durable: "example", onEvent: async (_, event) => void received.push(event) });
    const jsm = await jetstreamManager(nc);
    const settled = async () => {
      const info = await jsm.consumers.info(stream, "example");
      return info.ack_floor.stream_seq === 2 && info.num_ack_pending === 0;
    };
    await expect.poll(settled, { timeout: 5000 }).toBe(true);
    await follower.stop();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: "ItemCheckedOut", event: { loanId: "loan-1", item: { barcode: "I0001" } } });
  });
});
