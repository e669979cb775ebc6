import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Registry } from "prom-client";

export type Check = () => Promise<boolean> | boolean;

export interface OpsServerOptions {
  host?: string;
  port: number;
  /** Readiness: every check must pass (e.g. database and NATS reachable). */
  readiness?: Record<string, Check>;
  registry?: Registry;
}

export interface OpsServer {
  url: string;
  registry: Registry;
  /** Flip to not-ready first thing on shutdown so load balancers stop routing. */
  setDraining(draining: boolean): void;
  close(): Promise<void>;
}

/** `/healthz` (alive), `/readyz` (checks pass, not draining) and Prometheus `/metrics`. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const registry = options.registry ?? new Registry();
  if (!options.registry) collectDefaultMetrics({ register: registry });
  let draining = false;

  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") return reply(res, 200, { status: "ok" });
    if (path === "/readyz") {
      const results: Record<string, boolean> = {};
      for (const [name, check] of Object.entries(options.readiness ?? {})) {
        results[name] = await Promise.resolve()
          .then(check)
          .catch(() => false);
      }
      const ready = !draining && Object.values(results).every(Boolean);
      return reply(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", draining, checks: results });
    }
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": registry.contentType });
      return res.end(await registry.metrics());
    }
    reply(res, 404, { status: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    registry,
    setDraining: (d) => {
      draining = d;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
