import { defineProject, mergeConfig } from "vitest/config";
import { shared, withBackends } from "../vitest.shared.js";

// The cluster drill (`pnpm test:cluster`): fifteen processes and three NATS nodes on this
// machine, so it runs alone, after the rest of the suite, one test after another.
// `pnpm bench:cluster` runs the load measurement (cluster/*.bench.ts) with the same setup.
const bench = process.env.CIRCULATE_CLUSTER_BENCH === "1";
export default mergeConfig(
  mergeConfig(shared, withBackends),
  defineProject({
    test: { name: "cluster", root: import.meta.dirname, include: [bench ? "cluster/**/*.bench.ts" : "cluster/**/*.spec.ts"], testTimeout: 120_000, hookTimeout: 300_000, fileParallelism: false },
  }),
);
