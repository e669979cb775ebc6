import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedDataDirForRoot, MissingBackend, natsBacking, postgresBacking } from "../src/backends.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const state = mkdtempSync(path.join(tmpdir(), "circulate-start-"));
afterAll(() => {
  rmSync(state, { recursive: true, force: true });
  rmSync(embeddedDataDirForRoot(state), { recursive: true, force: true });
});

describe("backing services for pnpm start", () => {
  it("uses POSTGRES_URL and NATS_URL when set, and says so when nothing answers there", async () => {
    const port = await closedPort();
    await expect(postgresBacking({ POSTGRES_URL: `postgres://postgres@127.0.0.1:${port}/postgres` }, state)).rejects.toThrow(MissingBackend);
    await expect(natsBacking({ NATS_URL: `nats://127.0.0.1:${port}` }, state)).rejects.toThrow(/NATS_URL points at 127.0.0.1/);
  });

  it("uses a server already listening on the local port", async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    const found = await postgresBacking({}, state, { port, embeddedPort: 1 });
    expect(found).toMatchObject({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, origin: `local, 127.0.0.1:${port}` });
    await new Promise((r) => server.close(r));
  });

  it("starts an embedded Postgres when none answers locally, keeps its data, and stops it", async () => {
    const embedded = await postgresBacking({}, state, { port: await closedPort(), embeddedPort: await closedPort() });
    try {
      expect(embedded.origin).toMatch(/^embedded Postgres/);
      const client = new pg.Client(embedded.url);
      await client.connect();
      const { rows } = await client.query<{ ok: number }>("select 1 as ok");
      await client.end();
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await embedded.stop();
    }
  }, 120_000);

  it("starts nats-server from the PATH when none answers locally, or says what to install", async () => {
    const port = await closedPort();
    const onPath = spawnSync("nats-server", ["--version"]).status === 0;
    if (!onPath) {
      await expect(natsBacking({}, state, { port })).rejects.toThrow(/apt install nats-server/);
      return;
    }
    const nats = await natsBacking({}, state, { port });
    try {
      expect(nats).toMatchObject({ url: `nats://127.0.0.1:${port}`, origin: expect.stringMatching(/^nats-server from the PATH/) });
      const socket = net.connect(port, "127.0.0.1");
      const greeting = await new Promise<string>((r) => socket.once("data", (d) => r(d.toString())));
      socket.destroy();
      expect(greeting).toMatch(/^INFO .*"jetstream":true/);
    } finally {
      await nats.stop();
    }
  });
});
