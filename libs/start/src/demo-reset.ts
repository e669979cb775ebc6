import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { type Namespace, OWN_NAMESPACE, SERVICES } from "./plan.js";

/** What a reset removed. */
export interface ResetReport {
  readonly databases: string[];
  readonly streams: string[];
}

/**
 * Wipes one namespace: drops its five service databases (the services
 * recreate and migrate them as they start) and deletes its JetStream streams
 * and key-value buckets (`<prefix>_…`, `KV_<prefix>_…`). Refuses the
 * services' default namespace, where a user's own library lives.
 */
export async function resetNamespace(target: { postgresUrl: string; natsUrl: string; namespace: Namespace }): Promise<ResetReport> {
  const { namespace } = target;
  if (namespace.databasePrefix === OWN_NAMESPACE.databasePrefix || namespace.streamPrefix === OWN_NAMESPACE.streamPrefix || namespace.streamPrefix === "") {
    throw new Error("refusing to reset the default databases and streams: they hold a user's own library");
  }
  const databases = await dropDatabases(target.postgresUrl, SERVICES.map((s) => `${namespace.databasePrefix}${s}`));
  const streams = await deleteStreams(target.natsUrl, [`${namespace.streamPrefix}_`, `KV_${namespace.streamPrefix}_`]);
  return { databases, streams };
}

async function dropDatabases(adminUrl: string, names: readonly string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = ANY($1::text[])", [names]);
    const found = rows.map((r) => r.datname).sort();
    // FORCE ends leftover sessions (a service of an earlier start that did not stop cleanly).
    for (const name of found) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    return found;
  } finally {
    await client.end();
  }
}

async function deleteStreams(natsUrl: string, prefixes: readonly string[]): Promise<string[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const doomed: string[] = [];
    for await (const info of jsm.streams.list()) if (prefixes.some((p) => info.config.name.startsWith(p))) doomed.push(info.config.name);
    for (const name of doomed) await jsm.streams.delete(name);
    return doomed.sort();
  } finally {
    await nc.close();
  }
}
