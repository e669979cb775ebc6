import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../src/domain/terminal.js";
import {
  accountsFile,
  backendDouble,
  captureLogs,
  createTestNats,
  Kiosk,
  msg,
  type RunningGateway,
  startGateway,
  TLS_DIR,
  testConfig,
} from "./harness.js";

const everything = [...PERMISSIONS];
const tlsFile = (name: string) => readFileSync(`${TLS_DIR}${name}`);

describe("gateway operations: TLS, backend health, idle timeout, reload, shutdown, metrics", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  let files: Awaited<ReturnType<typeof accountsFile>>;
  let gw: RunningGateway;
  const kiosks: Kiosk[] = [];
  const track = (k: Kiosk) => {
    kiosks.push(k);
    return k;
  };

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([{ login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: everything, timeoutMs: 1_000 }]);
    gw = await startGateway(
      testConfig(nats.url, nats.subjectPrefix, files.file, {
        idleTimeoutMs: 1_500,
        tls: { certFile: `${TLS_DIR}server.crt`, keyFile: `${TLS_DIR}server.key`, caFile: `${TLS_DIR}ca.crt`, requireClientCert: true },
      }),
      { logger: captureLogs().logger },
    );
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await gw?.stop();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });

  it("speaks SIP2 over TLS with a client certificate, and refuses a client without one", async () => {
    const k = track(await Kiosk.tls(gw.tls!.port, { ca: tlsFile("ca.crt"), cert: tlsFile("client.crt"), key: tlsFile("client.key") }));
    expect(await k.ask(msg.login("kiosk1", "kiosk1pw", 0))).toBe("941AY0AZFDFD");
    expect(await k.ask(msg.checkout("P1", "I1", 1))).toMatch(/^121.*AY1AZ/);
    await expect(
      (async () => {
        const anon = track(await Kiosk.tls(gw.tls!.port, { ca: tlsFile("ca.crt") }));
        await anon.ask(msg.login("kiosk1", "kiosk1pw"), 2_000);
      })(),
    ).rejects.toThrow();
  });

  it("closes an idle connection", async () => {
    const k = track(await Kiosk.tcp(gw.tcp.port));
    expect(await k.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("941");
    await k.waitClosed(4_000);
  });

  it("reloads accounts for new logins without dropping a live connection", async () => {
    const live = track(await Kiosk.tcp(gw.tcp.port));
    expect(await live.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("941");
    await files.write([{ login: "kiosk2", password: "kiosk2pw", institutionId: "EAST", permissions: everything }]);
    expect(await gw.reloadAccounts()).toBe(true);
    expect(await live.ask(msg.checkout("P1", "I1"))).toMatch(/^121/); // still kiosk1, still connected
    const fresh = track(await Kiosk.tcp(gw.tcp.port));
    expect(await fresh.ask(msg.login("kiosk2", "kiosk2pw"))).toBe("941");
    const stale = track(await Kiosk.tcp(gw.tcp.port));
    expect(await stale.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("940");
    await files.write([{ login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: everything, timeoutMs: 1_000 }]);
    expect(await gw.reloadAccounts()).toBe(true);
    // A broken file is reported and changes nothing.
    await writeFile(files.file, "accounts: [{ login: kiosk1, permissions: [fly] }]");
    expect(await gw.reloadAccounts()).toBe(false);
    expect(await track(await Kiosk.tcp(gw.tcp.port)).ask(msg.login("kiosk1", "kiosk1pw"))).toBe("941");
  });

  it("exposes health, readiness and Prometheus metrics", async () => {
    const k = track(await Kiosk.tcp(gw.tcp.port));
    await k.ask(msg.login("kiosk1", "kiosk1pw"));
    await k.ask(msg.status(0, "1"));
    await k.ask(msg.checkout("P1", "I5"));
    expect((await fetch(`${gw.ops.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gw.ops.url}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${gw.ops.url}/metrics`)).text();
    expect(text).toMatch(/sip2_connections\{listener="tcp"\} [1-9]/);
    expect(text).toMatch(/sip2_requests_total\{message="11",outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/sip2_request_duration_seconds_bucket\{le="[^"]+",message="11"\}/);
    expect(text).toMatch(/sip2_terminal_last_seen_seconds\{terminal="kiosk1"\} \d/);
    expect(text).toMatch(/sip2_terminal_sc_status\{terminal="kiosk1"\} 1/);
    expect(text).toMatch(/sip2_backend_up\{service="loan"\} 1/);
  });

  it("reports off-line in 98 and refuses every command at once when the backend is down", async () => {
    const k = track(await Kiosk.tcp(gw.tcp.port));
    await k.ask(msg.login("kiosk1", "kiosk1pw"));
    await backend.stop();
    // Before the health check notices, the account timeout still bounds the answer.
    let started = Date.now();
    expect(await k.ask(msg.checkout("P1", "DOWN1"), 3_000)).toMatch(/^120/);
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await k.ask(msg.status())).toMatch(/^98NNNNNN000/);
    started = Date.now();
    expect(await k.ask(msg.checkout("P1", "DOWN2"))).toMatch(/^120/);
    expect(Date.now() - started).toBeLessThan(200);
    await backend.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(await k.ask(msg.status())).toMatch(/^98Y/);
  });

  it("shuts down gracefully: in-flight answers are written before the connection closes", async () => {
    const k = track(await Kiosk.tcp(gw.tcp.port));
    await k.ask(msg.login("kiosk1", "kiosk1pw"));
    backend.delay = () => 300;
    k.send(msg.checkout("P1", "LAST"));
    await new Promise((r) => setTimeout(r, 50));
    const stopping = gw.stop();
    expect(await k.next()).toMatch(/^121.*ABLAST/);
    await stopping;
    await k.waitClosed();
    await expect(Kiosk.tcp(gw.tcp.port)).rejects.toThrow();
  });
});
