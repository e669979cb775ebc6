import { readFileSync } from "node:fs";
import { grpcCredentials } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, patron } from "@circulate/contracts";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, recordOutcome, startService } from "../src/index.js";
import { accepted, GatewayStandIn, testServiceConfig } from "../src/testing/index.js";

// The test CA and its server and client certificates (for localhost / 127.0.0.1), shared with the gateway's TLS tests.
const TLS = new URL("../../../services/sip2-gateway/test/fixtures/tls/", import.meta.url).pathname;
const files = {
  caFile: `${TLS}ca.crt`,
  certFile: `${TLS}server.crt`,
  keyFile: `${TLS}server.key`,
  clientCertFile: `${TLS}client.crt`,
  clientKeyFile: `${TLS}client.key`,
};
const terminal = common.Terminal.fromPartial({ account: "kiosk1", institutionId: "MAIN", location: "MAIN" });

// One command is enough to prove the channels: the reply travels back over the gateway's TLS sink.
const endSessionOnly = {
  name: "patron" as const,
  migrations: {},
  build: ({ db }: { db: import("kysely").Kysely<import("@circulate/eventstore").EventStoreDatabase> }) => {
    const end = (_: unknown, env: commands.CommandEnvelope) => recordOutcome(db, env, acceptedOutcome(env, { $case: "endPatronSession", value: {} }));
    const refuse = async (_: unknown, env: commands.CommandEnvelope) => acceptedOutcome(env, { $case: "endPatronSession", value: {} });
    return {
      encodeEvent: () => {
        throw new Error("no events");
      },
      handlers: { endPatronSession: end, getPatronStatus: refuse, getPatronInformation: refuse, blockPatron: refuse, enablePatron: refuse },
    };
  },
};

/** A GetPatron call's gRPC status: UNIMPLEMENTED means the handshake passed (this service serves no Patrons API). */
function statusOf(address: string, credentials: grpc.ChannelCredentials): Promise<grpc.status> {
  const client = new patron.PatronsClient(address, credentials);
  return new Promise((resolve) =>
    client.getPatron({ key: { $case: "patronId", value: "p" } }, new grpc.Metadata(), { deadline: Date.now() + 2_000 }, (err) => {
      client.close();
      resolve(err ? err.code : grpc.status.OK);
    }),
  );
}

describe("gRPC between processes with mutual TLS (GRPC_TLS_*)", () => {
  let database: TestDatabase;
  let nats: TestNats;
  let nc: NatsConnection;
  let service: RunningService<import("@circulate/eventstore").EventStoreDatabase>;
  let gateway: GatewayStandIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = createTestNats();
    service = await startService(endSessionOnly as never, { ...testServiceConfig({ database, nats }), grpcTls: files }, { logger: pino({ level: "silent" }) });
    nc = await connect({ servers: nats.url });
    gateway = await GatewayStandIn.start(nc, nats.subjectPrefix, terminal, grpcCredentials({ caFile: files.caFile, certFile: files.certFile, keyFile: files.keyFile }).server());
  });
  afterAll(async () => {
    await gateway?.close();
    await nc?.close();
    await service?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  it("delivers a command's outcome to the gateway's reply sink over mutual TLS", async () => {
    const outcome = await gateway.send({ $case: "endPatronSession", value: commands.EndPatronSession.fromPartial({ patron: { institutionId: "MAIN", barcode: "P1" } }) });
    expect(accepted(outcome, "endPatronSession")).toEqual({});
  });

  it("accepts a peer with a certificate from the CA, and no one else", async () => {
    const address = service.grpcAddress.replace("127.0.0.1", "localhost");
    expect(await statusOf(address, grpcCredentials(files).client())).toBe(grpc.status.UNIMPLEMENTED);
    expect(await statusOf(address, grpc.credentials.createInsecure())).toBe(grpc.status.UNAVAILABLE);
    // TLS, but no client certificate.
    expect(await statusOf(address, grpc.credentials.createSsl(readFileSync(files.caFile)))).toBe(grpc.status.UNAVAILABLE);
  });
});
