import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { Access } from "./http/api.js";
import type { ConsoleDeps } from "./http/deps.js";
import { buildApp } from "./http/app.js";
import { apiRoutes } from "./routes/index.js";

/** Where the committed OpenAPI document lives (regenerate: `pnpm --filter @circulate/console openapi`). */
export const OPENAPI_FILE = fileURLToPath(new URL("../openapi.json", import.meta.url));

/** Dependencies for describing the routes only: anything a handler would use throws. */
const unused = new Proxy({} as ConsoleDeps, {
  get: (_t, key) => {
    if (key === "secureCookies") return false;
    if (key === "allowedOrigins" || key === "trustedProxies") return [];
    if (key === "https" || key === "webDir") return undefined;
    throw new Error(`describing the routes needs no ${String(key)}`);
  },
});

/** Method, path and access rule of every route, without starting anything. */
export function routeTable(): { method: string; url: string; access: Access }[] {
  return apiRoutes(unused).map((r) => ({ method: r.method, url: r.url, access: r.access }));
}

/**
 * The OpenAPI document as the routes' schemas make it, without starting
 * anything: the routes are built over dependencies that are never called.
 */
export async function generateOpenApi(): Promise<string> {
  const app = await buildApp(unused, apiRoutes(unused), pino({ level: "silent" }));
  await app.ready();
  const document = app.swagger();
  await app.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function committedOpenApi(): string {
  return readFileSync(OPENAPI_FILE, "utf8");
}
