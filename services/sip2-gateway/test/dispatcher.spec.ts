import { acceptedOutcome, commands, newCommandEnvelope, refusedOutcome } from "@circulate/contracts";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dispatcher } from "../src/app/dispatcher.js";
import { createTestNats } from "./harness.js";

const attempt = (commandId: string, correlationId: string) =>
  newCommandEnvelope({
    command: { $case: "checkInItem", value: commands.CheckInItem.fromPartial({ item: { institutionId: "MAIN", barcode: "I1" } }) },
    terminal: { account: "kiosk1", institutionId: "MAIN", location: "MAIN" },
    replyTo: "127.0.0.1:1",
    commandId,
    correlationId,
    timeoutMs: 5_000,
  });

describe("dispatcher: which waiting attempt an outcome answers", () => {
  const nats = createTestNats();
  let nc: NatsConnection;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    dispatcher = new Dispatcher(nc, nats.subjectPrefix, pino({ level: "silent" }));
  });
  afterAll(async () => {
    await nc?.close();
    await nats.cleanup();
  });

  it("does not let a first attempt's late 'deadline passed' answer a retry that is still being decided", async () => {
    const first = attempt("cmd-1", "try-1");
    const retry = attempt("cmd-1", "try-2");
    const firstAnswer = dispatcher.send(first, Date.now() + 2_000);
    const retryAnswer = dispatcher.send(retry, Date.now() + 2_000);
    expect(dispatcher.deliver(refusedOutcome(first, commands.RefusalReason.DEADLINE_EXCEEDED, "late"))).toBe(true);
    expect(await firstAnswer).toMatchObject({ correlationId: "try-1", result: { $case: "refused" } });
    const applied = acceptedOutcome(retry, { $case: "checkInItem", value: commands.CheckInItemAccepted.fromPartial({}) });
    expect(dispatcher.deliver(applied)).toBe(true);
    expect(await retryAnswer).toMatchObject({ correlationId: "try-2", result: { $case: "accepted" } });
  });

  it("gives a decision to every attempt of the command waiting for it", async () => {
    const a = attempt("cmd-2", "try-a");
    const b = attempt("cmd-2", "try-b");
    const answers = Promise.all([dispatcher.send(a, Date.now() + 2_000), dispatcher.send(b, Date.now() + 2_000)]);
    dispatcher.deliver(refusedOutcome(a, commands.RefusalReason.ITEM_NOT_FOUND, "no such item"));
    const [ra, rb] = await answers;
    expect(ra).toMatchObject({ result: { $case: "refused" } });
    expect(rb).toMatchObject({ result: { $case: "refused" } });
    expect(dispatcher.inFlight).toBe(0);
  });

  it("drops an outcome nobody waits for", () => {
    expect(dispatcher.deliver(refusedOutcome(attempt("cmd-3", "x"), commands.RefusalReason.DEADLINE_EXCEEDED, "late"))).toBe(false);
  });
});
