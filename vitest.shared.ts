import { defineProject } from "vitest/config";

/**
 * Settings every package's vitest project shares. Packages resolve each other's
 * TypeScript sources through the "@circulate/source" export condition, so tests
 * run without a build.
 */
export const shared = defineProject({
  resolve: { conditions: ["@circulate/source"] },
  ssr: { resolve: { conditions: ["@circulate/source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

/** Integration projects also get real Postgres and NATS, isolated per run. */
export const withBackends = defineProject({
  test: {
    globalSetup: [new URL("./libs/testing/src/global-setup.ts", import.meta.url).pathname],
  },
});
