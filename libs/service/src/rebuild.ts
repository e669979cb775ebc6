import { natsConnectOptions } from "@circulate/commandbus";
import type { ServiceName } from "@circulate/contracts";
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { eventStreamName, type ServiceConfig } from "./config.js";

/**
 * A copy of a peer's facts kept from its events: the consumer that keeps it
 * and the tables it alone writes. Only such projections may be rebuilt; a
 * consumer that reacts to events (charges a fine, fulfils a hold) is not one.
 */
export interface ProjectionSpec {
  /** Durable consumer name (the subscription's `name`). */
  readonly consumer: string;
  readonly from: ServiceName;
  readonly tables: readonly string[];
  /** Rows it alone writes in a table it shares with other copies (e.g. positions keyed by peer). */
  readonly rows?: readonly { readonly table: string; readonly column: string; readonly value: string }[];
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Empties projections and deletes their durable consumers, so they are built
 * again from the first event of the peers' streams when the service next
 * starts (run it with the service stopped; readiness reports the lag until the
 * copy has caught up). `only` names consumers; default all. Returns the names
 * rebuilt.
 */
export async function rebuildProjections(specs: readonly ProjectionSpec[], config: ServiceConfig, only: readonly string[] = []): Promise<string[]> {
  const unknown = only.filter((name) => !specs.some((s) => s.consumer === name));
  if (unknown.length > 0) throw new Error(`no such projection: ${unknown.join(", ")} (known: ${specs.map((s) => s.consumer).join(", ")})`);
  const chosen = specs.filter((s) => only.length === 0 || only.includes(s.consumer));
  const nc = await connect({ servers: config.natsUrl, name: "circulate-rebuild-projections", ...natsConnectOptions(config.natsSecurity) });
  const client = new pg.Client({ connectionString: config.postgresUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const jsm = await jetstreamManager(nc);
    for (const spec of chosen) {
      const stream = eventStreamName(config.streamPrefix, spec.from);
      await jsm.consumers.delete(stream, spec.consumer).catch((err: unknown) => {
        const gone = err instanceof JetStreamApiError && (err.code === JetStreamApiCodes.ConsumerNotFound || err.code === JetStreamApiCodes.StreamNotFound);
        if (!gone) throw err;
      });
      const key = `${stream}/${spec.consumer}`;
      await client.query("BEGIN");
      try {
        for (const table of spec.tables) await client.query(`TRUNCATE TABLE ${quoted(table)}`);
        for (const r of spec.rows ?? []) await client.query(`DELETE FROM ${quoted(r.table)} WHERE ${quoted(r.column)} = $1`, [r.value]);
        await client.query("DELETE FROM processed_messages WHERE consumer = $1", [key]);
        await client.query("DELETE FROM consumer_checkpoints WHERE consumer = $1", [key]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    }
    return chosen.map((s) => s.consumer);
  } finally {
    await client.end();
    await nc.close();
  }
}
