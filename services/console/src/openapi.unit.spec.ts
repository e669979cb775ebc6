import { describe, expect, it } from "vitest";
import { committedOpenApi, generateOpenApi, routeTable } from "./openapi.js";

describe("the OpenAPI document", () => {
  it("committed as openapi.json is the one the routes' schemas generate (regenerate: pnpm --filter @circulate/console openapi)", async () => {
    expect(committedOpenApi()).toBe(await generateOpenApi());
  });

  it("describes every route, with who may call it and the session and CSRF it needs", async () => {
    const document = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, { description: string; security?: unknown[] }>> };
    for (const r of routeTable()) {
      const path = r.url.replace(/:([A-Za-z]+)/g, "{$1}");
      const operation = document.paths[path]?.[r.method.toLowerCase()];
      expect(operation, `${r.method} ${r.url}`).toBeDefined();
      expect(operation!.description).toMatch(/^Who may: /);
      if (r.access === "public") expect(operation!.security).toBeUndefined();
      else expect(operation!.security).toEqual(r.method === "GET" ? [{ session: [] }] : [{ session: [], csrf: [] }]);
    }
  });
});
