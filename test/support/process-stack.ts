/**
 * The whole stack as `pnpm start` runs it — five service processes, the demo
 * import, the SIP2 gateway process — under `libs/start`'s supervisor, but
 * isolated for a test: each service on its own fresh test database, one
 * private NATS subject and stream prefix, free ports everywhere. For tests that
 * kill a process with SIGKILL and watch the supervisor bring it back.
 *
 * With `replicas` and `gateways` above one it is a small cluster: every service runs that many
 * processes on one database (as replicas of a Deployment do), peers are reached through a gRPC
 * target listing every replica, and each gateway has its own SIP2 port. `nats` points the whole
 * stack at a NATS of the test's own (a cluster) with streams at that many replicas.
 *
 * Needs the vitest project to merge `withBackends` (real Postgres and NATS).
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "@circulate/contracts";
import { gatewayPlan, importPlan, type ProcessSpec, type Supervised, Supervisor, servicePlan } from "@circulate/start";
import { createTestDatabase, createTestNats, type TestDatabase } from "@circulate/testing";
import { freePort } from "@circulate/testing";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVICES = ["patron", "item", "loan", "fee", "hold"] as const satisfies readonly ServiceName[];

export interface StackOptions {
  /** Processes per service. Default 1. */
  replicas?: number;
  /** Gateway processes. Default 1. */
  gateways?: number;
  /** A NATS of the test's own (client URLs comma-separated) and the replicas its streams and buckets get. */
  nats?: { url: string; streamReplicas: number };
  /** The library to import (a directory or a JSON file, docs/import.md). Default the demo library. */
  library?: string;
}

export interface GatewayProcess {
  readonly process: Supervised;
  readonly sip2Port: number;
  readonly opsPort: number;
}

export interface ProcessStack {
  /** The first replica of each service. */
  readonly services: Readonly<Record<ServiceName, Supervised>>;
  /** Every replica of each service. */
  readonly replicas: Readonly<Record<ServiceName, readonly Supervised[]>>;
  /** The first gateway. */
  readonly gateway: Supervised;
  readonly gateways: readonly GatewayProcess[];
  /** Ops port of each service's first replica (GET /readyz). */
  readonly opsPorts: Readonly<Record<ServiceName, number>>;
  /** The first gateway's SIP2 port. */
  readonly sip2Port: number;
  readonly databases: Readonly<Record<ServiceName, TestDatabase>>;
  /** The NATS prefixes of this stack (JetStream streams are `<streamPrefix>_<SERVICE>_EVENTS`). */
  readonly subjectPrefix: string;
  readonly streamPrefix: string;
  /** What the supervisor printed, with the time it printed it (epoch ms). */
  readonly said: readonly { readonly at: number; readonly line: string }[];
  /** Resolves with the time of the first supervisor line matching `pattern` (epoch ms). */
  saidLine(pattern: RegExp, timeoutMs: number): Promise<number>;
  /** The children's last log lines, for a failure message. */
  logTail(): string;
  /** Stops every process (gateway first), then removes the databases and streams. Safe to call twice. */
  stop(): Promise<void>;
}

/** Keeps the last `max` characters the children wrote; echoes them when CIRCULATE_E2E_LOG_LEVEL is set. */
class TailSink extends Writable {
  #tail = "";
  constructor(private readonly max = 32_000) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    if (process.env.CIRCULATE_E2E_LOG_LEVEL) process.stderr.write(chunk);
    this.#tail = (this.#tail + chunk.toString()).slice(-this.max);
    done();
  }
  get tail(): string {
    return this.#tail;
  }
}

const up = (name: string) => name.toUpperCase();

/** A gRPC target for every replica: grpc-js picks one that answers and moves on when it goes away. */
const target = (ports: readonly number[]) => (ports.length === 1 ? `127.0.0.1:${ports[0]}` : `ipv4:${ports.map((p) => `127.0.0.1:${p}`).join(",")}`);

const freePorts = (n: number) => Promise.all(Array.from({ length: n }, () => freePort()));

export async function startProcessStack(options: StackOptions = {}): Promise<ProcessStack> {
  const replicaCount = options.replicas ?? 1;
  const gatewayCount = options.gateways ?? 1;
  const level = process.env.CIRCULATE_E2E_LOG_LEVEL ?? "warn";
  const corner = createTestNats();
  const natsUrl = options.nats?.url ?? corner.url;
  const databases: Partial<Record<ServiceName, TestDatabase>> = {};
  const said: { at: number; line: string }[] = [];
  const sink = new TailSink();
  const supervisor = new Supervisor(ROOT, { sink, say: (line) => said.push({ at: Date.now(), line }) });
  const started: Supervised[] = [];
  // A worker that dies without running afterAll must not leave the stack running.
  const killAll = () => {
    for (const p of started) p.child.kill("SIGKILL");
  };
  process.once("exit", killAll);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await supervisor.stopAll(5_000);
    process.off("exit", killAll);
    // A NATS of the test's own goes away with its owner; only the shared one is cleaned here.
    await Promise.all([options.nats ? undefined : corner.cleanup(), ...Object.values(databases).map((d) => d.drop())]);
  };
  const named = (name: string, i: number, count: number) => (count === 1 ? name : `${name}#${i + 1}`);

  try {
    const grpc = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePorts(replicaCount)]))) as Record<ServiceName, number[]>;
    const ops = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePorts(replicaCount)]))) as Record<ServiceName, number[]>;
    await Promise.all(
      SERVICES.map(async (s) => {
        databases[s] = await createTestDatabase();
      }),
    );
    const peers = (pick: (ports: number[]) => number[]) => Object.fromEntries(SERVICES.map((s) => [`${up(s)}_GRPC_ADDRESS`, target(pick(grpc[s]))]));
    const shared = {
      NATS_URL: natsUrl,
      SUBJECT_PREFIX: corner.subjectPrefix,
      STREAM_PREFIX: corner.streamPrefix,
      LOG_LEVEL: level,
      ...(options.nats ? { STREAM_REPLICAS: String(options.nats.streamReplicas) } : {}),
    };
    // The namespace is this run's corner; the env below names each database itself, as `createTestDatabase` made them.
    const namespace = { databasePrefix: `${corner.subjectPrefix}_`, subjectPrefix: corner.subjectPrefix, streamPrefix: corner.streamPrefix };
    const settings = { postgresUrl: databases.patron!.url, natsUrl, logLevel: level, namespace };
    const isolate = (spec: ProcessSpec, name: string, env: Record<string, string>, readyPort = spec.readyPort): ProcessSpec => ({
      ...spec,
      name,
      env: { ...spec.env, ...shared, ...peers((ports) => ports), ...env },
      readyPort,
    });

    const replicas = {} as Record<ServiceName, Supervised[]>;
    for (const spec of servicePlan(settings)) {
      const s = spec.name as ServiceName;
      replicas[s] = grpc[s].map((port, i) => {
        const env = {
          [`${up(s)}_POSTGRES_URL`]: databases[s]!.url,
          CREATE_DATABASES: "false",
          [`${up(s)}_GRPC_PORT`]: String(port),
          [`${up(s)}_OPS_PORT`]: String(ops[s][i]),
        };
        const p = supervisor.start(isolate(spec, named(s, i, replicaCount), env, ops[s][i]));
        started.push(p);
        return p;
      });
    }
    await Promise.all(Object.values(replicas).flatMap((ps) => ps.map((p) => supervisor.ready(p, 150_000))));

    const gateways: GatewayProcess[] = [];
    const gatewaySpecs = await Promise.all(
      Array.from({ length: gatewayCount }, async (_, i) => {
        const sip2Port = await freePort();
        const opsPort = await freePort();
        const env = { SIP2_PORT: String(sip2Port), SIP2_TLS_PORT: String(await freePort()), GATEWAY_GRPC_PORT: String(await freePort()), GATEWAY_OPS_PORT: String(opsPort) };
        return { spec: isolate(gatewayPlan(settings), named("sip2-gateway", i, gatewayCount), env, opsPort), sip2Port, opsPort };
      }),
    );
    // The import and the gateways start together (pnpm start runs them one after the other) to keep the test short.
    const importing = supervisor.start(isolate(importPlan(settings, options.library ?? "infra/demo"), "import", peers((ports) => ports.slice(0, 1))));
    started.push(importing);
    for (const g of gatewaySpecs) {
      const p = supervisor.start(g.spec);
      started.push(p);
      gateways.push({ process: p, sip2Port: g.sip2Port, opsPort: g.opsPort });
    }
    const how = await importing.exited;
    if (how !== "exit code 0") throw new Error(`the demo import failed (${how})`);
    await Promise.all(gateways.map((g) => supervisor.ready(g.process, 60_000)));

    const first = <T>(all: Record<ServiceName, T[]>) => Object.fromEntries(SERVICES.map((s) => [s, all[s][0]!])) as Record<ServiceName, T>;
    return {
      services: first(replicas),
      replicas,
      gateway: gateways[0]!.process,
      gateways,
      opsPorts: first(ops),
      sip2Port: gateways[0]!.sip2Port,
      databases: databases as Record<ServiceName, TestDatabase>,
      subjectPrefix: corner.subjectPrefix,
      streamPrefix: corner.streamPrefix,
      said,
      async saidLine(pattern, timeoutMs) {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const hit = said.find((s) => pattern.test(s.line));
          if (hit) return hit.at;
          if (Date.now() > until) throw new Error(`the supervisor did not print ${pattern} within ${timeoutMs} ms; it printed ${JSON.stringify(said)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      logTail: () => sink.tail,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    if (err instanceof Error) err.message += `\n--- children's output ---\n${sink.tail}`;
    throw err;
  }
}
