import { defineProject, mergeConfig } from "vitest/config";
import { shared, withBackends } from "../../vitest.shared.js";

export default mergeConfig(
  mergeConfig(shared, withBackends),
  defineProject({ test: { name: "console", include: ["src/**/*.spec.ts", "test/**/*.spec.ts"] } }),
);
