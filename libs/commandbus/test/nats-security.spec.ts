import { type ChildProcess, spawn } from "node:child_process";
import { natsSecurity, readEnv } from "@circulate/runtime";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@circulate/testing";
import { natsConnectOptions } from "../src/index.js";

// The test CA and its localhost server certificate, shared with the gateway's TLS tests.
const TLS = new URL("../../../services/sip2-gateway/test/fixtures/tls/", import.meta.url).pathname;


async function canConnect(port: number, env: Record<string, string>): Promise<true | string> {
  const e = readEnv(env);
  const security = natsSecurity(e);
  e.done();
  try {
    const nc = await connect({ servers: `tls://localhost:${port}`, timeout: 2_000, reconnect: false, ...natsConnectOptions(security) });
    await nc.flush();
    await nc.close();
    return true;
  } catch (err) {
    return (err as Error).message;
  }
}

describe("NATS with TLS and credentials (NATS_*)", () => {
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // A private server (never the shared one): TLS with the test certificate, one user.
    server = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "--user", "circ", "--pass", "s3cret", "--tls", "--tlscert", `${TLS}server.crt`, "--tlskey", `${TLS}server.key`], {
      stdio: "ignore",
    });
    const until = Date.now() + 5_000;
    while ((await canConnect(port, { NATS_USER: "circ", NATS_PASSWORD: "s3cret", NATS_TLS_CA_FILE: `${TLS}ca.crt` })) !== true) {
      if (Date.now() > until) throw new Error("private nats-server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(() => {
    server?.kill("SIGKILL");
  });

  it("connects with the configured user over TLS verified by the configured CA", async () => {
    expect(await canConnect(port, { NATS_USER: "circ", NATS_PASSWORD: "s3cret", NATS_TLS_CA_FILE: `${TLS}ca.crt` })).toBe(true);
  });

  it("is refused with a wrong password, without credentials, or without the CA", async () => {
    expect(await canConnect(port, { NATS_USER: "circ", NATS_PASSWORD: "wrong", NATS_TLS_CA_FILE: `${TLS}ca.crt` })).not.toBe(true);
    expect(await canConnect(port, { NATS_TLS_CA_FILE: `${TLS}ca.crt` })).not.toBe(true);
    expect(await canConnect(port, { NATS_USER: "circ", NATS_PASSWORD: "s3cret" })).not.toBe(true);
  });

  it("names settings that do not go together", () => {
    const e = readEnv({ NATS_USER: "circ", NATS_TOKEN: "t", NATS_TLS_CERT_FILE: `${TLS}client.crt` });
    natsSecurity(e);
    expect(() => e.done()).toThrow(
      /NATS_USER and NATS_PASSWORD go together[\s\S]*NATS_USER, NATS_TOKEN and NATS_CREDS_FILE are alternatives[\s\S]*NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together[\s\S]*NATS_TLS_CERT_FILE needs NATS_TLS_CA_FILE/,
    );
  });
});
