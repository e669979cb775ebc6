import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { isStale, TEST_PREFIX } from "./names.js";

/** Replace the database of a Postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drop test databases of this run (prefix match) or stale ones of crashed runs. */
export async function sweepDatabases(adminUrl: string, runPrefix?: string): Promise<string[]> {
  return withAdmin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${TEST_PREFIX}%`],
    );
    const doomed = rows
      .map((r) => r.datname)
      .filter((n) => (runPrefix ? n.startsWith(runPrefix) : false) || isStale(n));
    for (const name of doomed) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return doomed;
  });
}

/** Delete JetStream streams of this run (prefix match) or stale ones of crashed runs. */
export async function sweepStreams(natsUrl: string, runPrefix?: string): Promise<string[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const doomed: string[] = [];
    for await (const info of jsm.streams.list()) {
      const stream = info.config.name;
      // KV buckets live in streams named KV_<bucket>.
      const name = stream.replace(/^KV_/, "");
      if (!name.toLowerCase().startsWith(TEST_PREFIX)) continue;
      const mine = runPrefix ? name.toLowerCase().startsWith(runPrefix.toLowerCase()) : false;
      if (mine || isStale(name)) doomed.push(stream);
    }
    for (const name of doomed) await jsm.streams.delete(name).catch(() => false);
    return doomed;
  } finally {
    await nc.close();
  }
}
