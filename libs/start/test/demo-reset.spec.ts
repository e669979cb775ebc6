import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetNamespace } from "../src/demo-reset.js";
import { type Namespace, OWN_NAMESPACE, SERVICES, serviceDatabaseUrl } from "../src/plan.js";

// The real local backends (as the rest of the suite uses them); every name below is this run's own.
const postgresUrl = process.env.CIRCULATE_TEST_POSTGRES_URL ?? process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const natsUrl = process.env.CIRCULATE_TEST_NATS_URL ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222";
// Named like every test resource (`circ_t_<base36 ms>_…`): other runs' sweeps leave it alone for an hour, then clear it if this run crashed.
const tag = `circ_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
/** Stands for the demo's namespace; `bystander` for another deployment next to it. */
const demo: Namespace = { databasePrefix: `${tag}_demo_`, subjectPrefix: `${tag}_demo`, streamPrefix: `${tag.toUpperCase()}_DEMO` };
const bystander: Namespace = { databasePrefix: `${tag}_demox_`, subjectPrefix: `${tag}_demox`, streamPrefix: `${tag.toUpperCase()}_DEMOX` };

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = postgresUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
const databasesOf = (ns: Namespace) =>
  admin(async (c) => (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", [ns.databasePrefix])).rows.map((r) => r.datname));

/** What a start leaves behind: each service's database with an event in it, its event stream, the gateway's bucket. */
async function leaveAStartBehind(nc: NatsConnection, ns: Namespace): Promise<void> {
  for (const service of SERVICES) {
    await admin((c) => c.query(`CREATE DATABASE "${ns.databasePrefix}${service}"`));
    await admin((c) => c.query("CREATE TABLE events (n int); INSERT INTO events VALUES (1)"), serviceDatabaseUrl(postgresUrl, service, ns.databasePrefix));
  }
  const jsm = await jetstreamManager(nc);
  for (const name of [`${ns.streamPrefix}_LOAN_EVENTS`, `KV_${ns.streamPrefix}_TERMINALS`]) {
    await jsm.streams.add({ name, subjects: [`${ns.subjectPrefix}.${name.toLowerCase()}`] });
    nc.publish(`${ns.subjectPrefix}.${name.toLowerCase()}`, "x");
  }
  await nc.flush();
}

const streamsOf = async (nc: NatsConnection, ns: Namespace) => {
  const names: string[] = [];
  for await (const info of (await jetstreamManager(nc)).streams.list()) {
    const n = info.config.name;
    if (n.startsWith(`${ns.streamPrefix}_`) || n.startsWith(`KV_${ns.streamPrefix}_`)) names.push(n);
  }
  return names.sort();
};

describe("resetting the demo namespace (what pnpm start does before presenting the demo)", () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    await leaveAStartBehind(nc, demo);
    await leaveAStartBehind(nc, bystander);
  });
  afterAll(async () => {
    for (const ns of [demo, bystander]) {
      for (const name of await databasesOf(ns)) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      const jsm = await jetstreamManager(nc);
      for (const name of await streamsOf(nc, ns)) await jsm.streams.delete(name).catch(() => false);
    }
    await nc?.close();
  });

  it("drops the five databases and deletes the streams and buckets of the last start, and nothing of anyone else", async () => {
    const report = await resetNamespace({ postgresUrl, natsUrl, namespace: demo });
    expect(report.databases).toEqual(SERVICES.map((s) => `${demo.databasePrefix}${s}`).sort());
    expect(report.streams).toEqual([`${demo.streamPrefix}_LOAN_EVENTS`, `KV_${demo.streamPrefix}_TERMINALS`].sort());
    expect(await databasesOf(demo)).toEqual([]);
    expect(await streamsOf(nc, demo)).toEqual([]);
    expect(await databasesOf(bystander)).toHaveLength(5);
    expect(await streamsOf(nc, bystander)).toHaveLength(2);
  });

  it("a second start after a clean one finds nothing left to remove", async () => {
    expect(await resetNamespace({ postgresUrl, natsUrl, namespace: demo })).toEqual({ databases: [], streams: [] });
  });

  it("refuses the services' default namespace, where a user's own library lives, touching nothing", async () => {
    await expect(resetNamespace({ postgresUrl, natsUrl, namespace: OWN_NAMESPACE })).rejects.toThrow(/user's own library/);
    await expect(resetNamespace({ postgresUrl, natsUrl, namespace: { ...demo, streamPrefix: "CIRC" } })).rejects.toThrow(/user's own library/);
    expect(await databasesOf(bystander)).toHaveLength(5);
  });
});
