/**
 * Backend fault drills: the five services and a gateway in this process against a private
 * Postgres and a private nats-server (support/private-backends.ts), a generated library, and
 * kiosks that keep checking items out and in while the test stops and restarts a backend.
 *
 * The kiosks (support/terminal.ts) behave like real ones: a refused or unanswered request is sent again byte for byte
 * (same command id, so the services act once) until it is accepted, and every answer is
 * recorded with its latency, so a test can say what the kiosks saw and when service returned.
 */
import type { ServiceName } from "@circulate/contracts";
import type { EventStoreDatabase } from "@circulate/eventstore";
import { runImport } from "@circulate/import";
import { generateLibrary, itemBarcode, patronBarcode } from "@circulate/loadgen";
import { type RunningService, type ServiceConfig, startService } from "@circulate/service";
import pino from "pino";
import { type E2eGateway, startE2eGateway } from "./gateway.js";
import { waitFor } from "./wait.js";
import { freePort } from "@circulate/testing";
import { type PrivateBackend, startPrivateNats, startPrivatePostgres } from "./private-backends.js";
import * as rq from "./requests.js";
import { definitions, STACK_SERVICES } from "./stack.js";
import { BACKEND_REFUSALS, CirculatingTerminal, kiosk1At } from "./terminal.js";

/** One JSON log line of a service or the gateway. */
export type LogLine = { level: number; service: string; msg: string; [key: string]: unknown };

export interface FaultDeployment {
  readonly postgres: PrivateBackend;
  readonly nats: PrivateBackend;
  readonly services: Record<ServiceName, RunningService<EventStoreDatabase>>;
  readonly gateway: E2eGateway;
  /** Every log line of every process, parsed. */
  readonly logs: LogLine[];
  /** Uncaught exceptions and unhandled rejections while it ran: a real process would have died. */
  readonly crashes: unknown[];
  stop(): Promise<void>;
}

function capture(logs: LogLine[], service: string) {
  return pino({ level: "info", base: { service } }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
}

/** Starts private backends, the services, a generated library of `patrons` × `itemsPerPatron` items, and a gateway. */
export async function startFaultDeployment(options: { patrons: number; itemsPerPatron: number }): Promise<FaultDeployment> {
  const logs: LogLine[] = [];
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => void crashes.push(err);
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  const started: { postgres?: PrivateBackend; nats?: PrivateBackend; gateway?: E2eGateway } = {};
  const services: Partial<Record<ServiceName, RunningService<EventStoreDatabase>>> = {};
  const stop = async () => {
    await started.gateway?.stop().catch(() => undefined);
    await Promise.all(Object.values(services).map((s) => s.stop().catch(() => undefined)));
    await Promise.all([started.postgres?.destroy(), started.nats?.destroy()]);
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
  };
  try {
    const [postgres, nats] = await Promise.all([startPrivatePostgres(), startPrivateNats()]);
    Object.assign(started, { postgres, nats });
    const ports = await Promise.all(STACK_SERVICES.map(() => freePort()));
    const peers = Object.fromEntries(STACK_SERVICES.map((name, i) => [name, `127.0.0.1:${ports[i]}`])) as Record<ServiceName, string>;
    const defs = definitions({});
    await Promise.all(
      STACK_SERVICES.map(async (name, i) => {
        const config: ServiceConfig = {
          postgresUrl: `postgres://postgres@127.0.0.1:${postgres.port}/circulate_${name}`,
          createDatabase: true,
          natsUrl: nats.url,
          subjectPrefix: "circ",
          streamPrefix: "CIRC",
          grpcHost: "127.0.0.1",
          grpcPort: ports[i]!,
          opsHost: "127.0.0.1",
          opsPort: 0,
          peers,
          logLevel: "info",
          prettyLogs: false,
        };
        services[name] = await startService(defs[name], config, { logger: capture(logs, name) });
      }),
    );
    const library = generateLibrary({ patrons: options.patrons, items: options.patrons * options.itemsPerPatron });
    await runImport({ document: library }, { addresses: peers });
    const gateway = await startE2eGateway({ nats: { url: nats.url, subjectPrefix: "circ", streamPrefix: "CIRC" } });
    started.gateway = gateway;
    await waitFor(() => gateway.gateway.health.online(), "every service to answer the gateway's health ping", 30_000);
    return { postgres, nats, services: services as Record<ServiceName, RunningService<EventStoreDatabase>>, gateway, logs, crashes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts `count` kiosks, kiosk k using generated patron k and its `itemsPerPatron` items. Given
 * several gateways' ports, the kiosks are spread over them and move on when theirs goes away.
 */
export function startKiosks(port: number | readonly number[], count: number, itemsPerPatron: number): CirculatingTerminal[] {
  return Array.from({ length: count }, (_, k) => {
    const items = Array.from({ length: itemsPerPatron }, (_, j) => itemBarcode(k * itemsPerPatron + j));
    const kiosk = new CirculatingTerminal(port, k, patronBarcode(k), items, { resendAfterMs: 200, gatewayMayGoAway: typeof port !== "number" });
    kiosk.start();
    return kiosk;
  });
}

/** GET an ops endpoint; the status code, or 0 when nothing answered. */
export async function opsStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
}

/** Every process's ops base URL, by name (the five services and "gateway"). */
export function opsUrls(d: FaultDeployment): Record<string, string> {
  const urls: Record<string, string> = { gateway: d.gateway.gateway.ops.url };
  for (const name of STACK_SERVICES) urls[name] = d.services[name].ops.url;
  return urls;
}

/** `/readyz` of every process, by name. */
export async function readiness(d: FaultDeployment): Promise<Record<string, number>> {
  const urls = opsUrls(d);
  const entries = await Promise.all(Object.entries(urls).map(async ([name, url]) => [name, await opsStatus(`${url}/readyz`)] as const));
  return Object.fromEntries(entries);
}

/**
 * Milliseconds from `since` until a new request is served normally: a fresh kiosk asks for a
 * patron's status every 100 ms until the answer is not a backend refusal. Unlike the working
 * kiosks, it is never waiting out the timeout of a request sent before the backend returned.
 */
export async function servedAgainAfter(port: number, patron: string, since: number, timeoutMs = 20_000): Promise<number> {
  const kiosk = await kiosk1At(port);
  try {
    for (;;) {
      const m = (await kiosk.ask(rq.patronStatus(patron))).message;
      if (m.code === "24" && !BACKEND_REFUSALS.includes(m.screenMessages?.[0] ?? "")) return Date.now() - since;
      if (Date.now() - since > timeoutMs) throw new Error(`no normal answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    kiosk.close();
  }
}
