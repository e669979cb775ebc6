import type { TestProject } from "vitest/node";
import { sweepDatabases, sweepStreams } from "./admin.js";
import { resolveNats, resolvePostgres } from "./backends.js";
import { newRunId } from "./names.js";

declare module "vitest" {
  export interface ProvidedContext {
    circulateBackends: { postgresAdminUrl: string; natsUrl: string; runId: string };
  }
}

/**
 * Vitest global setup for integration projects: finds Postgres and NATS once per
 * project, sweeps what crashed runs left behind, and on teardown removes every
 * database and stream this run created.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, nats] = await Promise.all([resolvePostgres(), resolveNats()]);
  const runId = newRunId();
  await Promise.all([sweepDatabases(postgres.url), sweepStreams(nats.url)]);
  project.provide("circulateBackends", { postgresAdminUrl: postgres.url, natsUrl: nats.url, runId });
  return async () => {
    await Promise.allSettled([sweepDatabases(postgres.url, runId), sweepStreams(nats.url, runId)]);
    await Promise.allSettled([postgres.stop(), nats.stop()]);
  };
}
