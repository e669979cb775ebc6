import type {} from "./global-setup.js";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { inject } from "vitest";
import { createDatabase, dropDatabase, withDatabase } from "./admin.js";
import { uniqueName } from "./names.js";

export function backends() {
  const provided = inject("circulateBackends");
  if (!provided) throw new Error("circulateBackends not provided: add withBackends to this vitest project");
  return provided;
}

/** A fresh, empty database of this test run. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { postgresAdminUrl, runId } = backends();
  const name = uniqueName(runId);
  await createDatabase(postgresAdminUrl, name);
  return { name, url: withDatabase(postgresAdminUrl, name), drop: () => dropDatabase(postgresAdminUrl, name) };
}

/**
 * A private corner of NATS: a subject prefix nobody else uses and a stream-name
 * prefix (upper case, as JetStream names conventionally are) for the streams the
 * test creates. `cleanup` deletes those streams.
 */
export interface TestNats {
  url: string;
  subjectPrefix: string;
  streamPrefix: string;
  cleanup(): Promise<void>;
}

export function createTestNats(): TestNats {
  const { natsUrl, runId } = backends();
  const name = uniqueName(runId);
  const streamPrefix = name.toUpperCase();
  return {
    url: natsUrl,
    subjectPrefix: name,
    streamPrefix,
    cleanup: async () => {
      const nc = await connect({ servers: natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        for await (const info of jsm.streams.list()) {
          // KV buckets live in streams named KV_<bucket>.
          const name = info.config.name.replace(/^KV_/, "");
          if (name.startsWith(streamPrefix)) await jsm.streams.delete(info.config.name).catch(() => false);
        }
      } finally {
        await nc.close();
      }
    },
  };
}
