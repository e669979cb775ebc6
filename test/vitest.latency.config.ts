import { defineProject, mergeConfig } from "vitest/config";
import { shared, withBackends } from "../vitest.shared.js";

// The latency measurement (latency.bench.ts): run on its own, never as part of `pnpm test`.
export default mergeConfig(
  mergeConfig(shared, withBackends),
  defineProject({ test: { name: "e2e-latency", include: ["latency.bench.ts"], testTimeout: 600_000, hookTimeout: 180_000 } }),
);
