import { credentials, Metadata, Server, ServerCredentials, type ServiceError, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedOutcome, commands, common, gateway, newCommandEnvelope, refusedOutcome } from "../src/index.js";
import { checkout, terminal } from "./fixtures.js";

/** A stand-in gateway: requests wait by correlation id; each is answered once. */
class WaitingRequests {
  readonly received: commands.Outcome[] = [];
  private readonly pending = new Set<string>();
  expect(correlationId: string): void {
    this.pending.add(correlationId);
  }
  readonly sink: gateway.Sip2ReplySinkServer = {
    deliver: (call, callback) => {
      const outcome = call.request.outcome;
      if (outcome === undefined) {
        callback({ code: status.INVALID_ARGUMENT, details: "no outcome" });
        return;
      }
      this.received.push(outcome);
      const delivered = this.pending.delete(outcome.correlationId);
      callback(null, { delivered });
    },
  };
}

function bind(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

function deliver(
  client: gateway.Sip2ReplySinkClient,
  request: gateway.DeliverRequest,
  timeoutMs = 5_000,
): Promise<gateway.DeliverResponse> {
  return new Promise((resolve, reject) =>
    client.deliver(request, new Metadata(), { deadline: Date.now() + timeoutMs }, (err: ServiceError | null, response) =>
      err ? reject(err) : resolve(response),
    ),
  );
}

describe("Sip2ReplySink.Deliver over a real gRPC socket", () => {
  const gatewayState = new WaitingRequests();
  const server = new Server();
  let client: gateway.Sip2ReplySinkClient;
  let address: string;

  beforeAll(async () => {
    server.addService(gateway.Sip2ReplySinkService, gatewayState.sink);
    address = `127.0.0.1:${await bind(server)}`;
    client = new gateway.Sip2ReplySinkClient(address, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it("hands an accepted checkout to the request waiting for it, field for field", async () => {
    const envelope = newCommandEnvelope({
      command: { $case: "checkOutItem", value: checkout() },
      terminal,
      replyTo: address,
      timeoutMs: 5_000,
    });
    gatewayState.expect(envelope.correlationId);
    const outcome = acceptedOutcome(envelope, {
      $case: "checkOutItem",
      value: commands.CheckOutItemAccepted.fromPartial({
        loanId: "loan-1",
        patronId: "pat-1",
        item: { title: "Moby Dick", mediaType: common.MediaType.BOOK, magneticMedia: false },
        dueAt: new Date("2025-02-22T17:00:00.000Z"),
        desensitize: true,
      }),
    });

    // The service dials the address the command told it to reply to.
    const response = await deliver(client, { outcome });

    expect(response).toEqual({ delivered: true });
    expect(gatewayState.received.at(-1)).toEqual(outcome);
  });

  it("acknowledges a duplicate or late delivery without handing it over again", async () => {
    const ids = { commandId: "cmd-dup", correlationId: "corr-dup" };
    gatewayState.expect(ids.correlationId);
    const outcome = refusedOutcome(ids, commands.RefusalReason.PATRON_BLOCKED, "blocked by staff");
    expect(await deliver(client, { outcome })).toEqual({ delivered: true });
    expect(await deliver(client, { outcome: { ...outcome, replayed: true } })).toEqual({ delivered: false });
    expect(gatewayState.received.at(-1)?.replayed).toBe(true);
  });

  it("carries a gRPC error status when the gateway rejects a delivery", async () => {
    const error = await deliver(client, { outcome: undefined }).catch((e: ServiceError) => e);
    expect((error as ServiceError).code).toBe(status.INVALID_ARGUMENT);
  });

  it("passes metadata through (e.g. a trace id), since the generated client accepts it", async () => {
    const seen: string[] = [];
    const traced = new Server();
    traced.addService(gateway.Sip2ReplySinkService, {
      deliver: (call, callback) => {
        seen.push(String(call.metadata.get("x-trace-id")[0]));
        callback(null, { delivered: true });
      },
    } satisfies gateway.Sip2ReplySinkServer);
    const port = await bind(traced);
    const tracedClient = new gateway.Sip2ReplySinkClient(`127.0.0.1:${port}`, credentials.createInsecure());
    try {
      const metadata = new Metadata();
      metadata.set("x-trace-id", "trace-7");
      await new Promise<void>((resolve, reject) =>
        tracedClient.deliver({ outcome: commands.Outcome.fromPartial({ correlationId: "c" }) }, metadata, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
      expect(seen).toEqual(["trace-7"]);
    } finally {
      tracedClient.close();
      await new Promise<void>((resolve) => traced.tryShutdown(() => resolve()));
    }
  });

  it("fails within the call deadline when the gateway that sent the command is gone", async () => {
    const gone = new Server();
    gone.addService(gateway.Sip2ReplySinkService, new WaitingRequests().sink);
    const port = await bind(gone);
    gone.forceShutdown();
    const orphan = new gateway.Sip2ReplySinkClient(`127.0.0.1:${port}`, credentials.createInsecure());
    try {
      const error = await deliver(orphan, { outcome: commands.Outcome.fromPartial({ correlationId: "x" }) }, 2_000).catch(
        (e: ServiceError) => e,
      );
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain((error as ServiceError).code);
    } finally {
      orphan.close();
    }
  });
});
