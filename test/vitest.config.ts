import { defineProject, mergeConfig } from "vitest/config";
import { shared, withBackends } from "../vitest.shared.js";

// Whole-stack tests start five services each: give hooks room on a busy 2-core machine.
// The cluster drill runs on its own (vitest.cluster.config.ts).
export default mergeConfig(
  mergeConfig(shared, withBackends),
  defineProject({ test: { name: "e2e", include: ["**/*.spec.ts"], exclude: ["**/node_modules/**", "cluster/**"], testTimeout: 60_000, hookTimeout: 180_000 } }),
);
