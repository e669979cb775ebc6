import net from "node:net";
import { type CommandHandlers, publishCommand, ReplyClient, serveCommands } from "@circulate/commandbus";
import { commands, newCommandEnvelope } from "@circulate/contracts";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogs, createTestNats } from "./harness.js";

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a service's log of an outcome it could not deliver to the gateway", () => {
  const nats = createTestNats();
  const replies = new ReplyClient();
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    replies.close();
    await nc?.close();
    await nats.cleanup();
  });

  it("names the gRPC cause (code, details, message), not an unserializable placeholder", async () => {
    const logs = captureLogs();
    const accepted = async (_: unknown, envelope: commands.CommandEnvelope) =>
      commands.Outcome.fromPartial({ commandId: envelope.commandId, correlationId: envelope.correlationId, decidedAt: new Date() });
    const handlers = { getPatronStatus: accepted, getPatronInformation: accepted, blockPatron: accepted, enablePatron: accepted, endPatronSession: accepted };
    const server = serveCommands({ nc, service: "patron", prefix: nats.subjectPrefix, handlers: handlers as unknown as CommandHandlers<"patron">, replies, logger: logs.logger });
    await nc.flush();
    const envelope = newCommandEnvelope({
      command: { $case: "getPatronStatus", value: commands.GetPatronStatus.fromPartial({ patron: { institutionId: "MAIN", barcode: "P0001" } }) },
      terminal: { account: "kiosk1", institutionId: "MAIN", location: "MAIN" },
      replyTo: `127.0.0.1:${await deadPort()}`,
      timeoutMs: 5_000,
    });
    publishCommand(nc, envelope, nats.subjectPrefix);
    const until = Date.now() + 10_000;
    let line: string | undefined;
    while (!line && Date.now() < until) {
      line = logs.lines.find((l) => l.includes("outcome could not be delivered"));
      if (!line) await new Promise((r) => setTimeout(r, 50));
    }
    await server.drain();
    expect(line, "no delivery failure was logged").toBeDefined();
    const { err } = JSON.parse(line!);
    // Refused at once or, when the client waits for the channel, out of time: either way named.
    expect(err).toMatchObject({ type: "Error", code: expect.any(Number), details: expect.stringMatching(/\S/) });
    expect(err.message).toMatch(/^(14 UNAVAILABLE|4 DEADLINE_EXCEEDED): /);
  }, 20_000);
});
