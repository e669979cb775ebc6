import { defineProject, mergeConfig } from "vitest/config";
import { shared, withBackends } from "../../vitest.shared.js";

export default mergeConfig(
  mergeConfig(shared, withBackends),
  defineProject({ test: { name: "sip2-gateway", include: ["src/**/*.spec.ts", "test/**/*.spec.ts"] } }),
);
