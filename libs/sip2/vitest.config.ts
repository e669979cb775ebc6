import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({ test: { name: "sip2", include: ["src/**/*.spec.ts", "test/**/*.spec.ts"] } }),
);
