/**
 * The whole stack as `pnpm start` runs it — five service processes, the demo
 * import, the SIP2 gateway process — under `libs/start`'s supervisor, but
 * isolated for a test: each service on its own fresh test database, one
 * private NATS subject and stream prefix, free ports everywhere. For tests that
 * kill a process with SIGKILL and watch the supervisor bring it back.
 *
 * Needs the vitest project to merge `withBackends` (real Postgres and NATS).
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "@circulate/contracts";
import { gatewayPlan, importPlan, type ProcessSpec, type Supervised, Supervisor, servicePlan } from "@circulate/start";
import { createTestDatabase, createTestNats, type TestDatabase } from "@circulate/testing";
import { freePort } from "./ports.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVICES = ["patron", "item", "loan", "fee", "hold"] as const satisfies readonly ServiceName[];

export interface ProcessStack {
  readonly services: Readonly<Record<ServiceName, Supervised>>;
  readonly gateway: Supervised;
  /** Ops port of each service (GET /readyz). */
  readonly opsPorts: Readonly<Record<ServiceName, number>>;
  readonly sip2Port: number;
  readonly databases: Readonly<Record<ServiceName, TestDatabase>>;
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

export async function startProcessStack(): Promise<ProcessStack> {
  const level = process.env.CIRCULATE_E2E_LOG_LEVEL ?? "warn";
  const nats = createTestNats();
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
    await Promise.all([nats.cleanup(), ...Object.values(databases).map((d) => d.drop())]);
  };

  try {
    const grpc = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as Record<ServiceName, number>;
    const opsPorts = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as Record<ServiceName, number>;
    await Promise.all(
      SERVICES.map(async (s) => {
        databases[s] = await createTestDatabase();
      }),
    );
    const peers = Object.fromEntries(SERVICES.map((s) => [`${up(s)}_GRPC_ADDRESS`, `127.0.0.1:${grpc[s]}`]));
    const corner = { NATS_URL: nats.url, SUBJECT_PREFIX: nats.subjectPrefix, STREAM_PREFIX: nats.streamPrefix, LOG_LEVEL: level };
    // The namespace is this run's corner; the env below names each database itself, as `createTestDatabase` made them.
    const namespace = { databasePrefix: `${nats.subjectPrefix}_`, subjectPrefix: nats.subjectPrefix, streamPrefix: nats.streamPrefix };
    const settings = { postgresUrl: databases.patron!.url, natsUrl: nats.url, logLevel: level, namespace };
    const isolate = (spec: ProcessSpec, env: Record<string, string>, readyPort = spec.readyPort): ProcessSpec => ({
      ...spec,
      env: { ...spec.env, ...corner, ...peers, ...env },
      readyPort,
    });

    const services = {} as Record<ServiceName, Supervised>;
    for (const spec of servicePlan(settings)) {
      const s = spec.name as ServiceName;
      const env = {
        [`${up(s)}_POSTGRES_URL`]: databases[s]!.url,
        CREATE_DATABASES: "false",
        [`${up(s)}_GRPC_PORT`]: String(grpc[s]),
        [`${up(s)}_OPS_PORT`]: String(opsPorts[s]),
      };
      services[s] = supervisor.start(isolate(spec, env, opsPorts[s]));
      started.push(services[s]);
    }
    await Promise.all(Object.values(services).map((p) => supervisor.ready(p, 150_000)));

    const sip2Port = await freePort();
    const gatewayOps = await freePort();
    const gatewaySpec = isolate(
      gatewayPlan(settings),
      {
        SIP2_PORT: String(sip2Port),
        SIP2_TLS_PORT: String(await freePort()),
        GATEWAY_GRPC_PORT: String(await freePort()),
        GATEWAY_OPS_PORT: String(gatewayOps),
      },
      gatewayOps,
    );
    // The import and the gateway start together (pnpm start runs them one after the other) to keep the test short.
    const importing = supervisor.start(isolate(importPlan(settings, "infra/demo"), {}));
    started.push(importing);
    const gateway = supervisor.start(gatewaySpec);
    started.push(gateway);
    const how = await importing.exited;
    if (how !== "exit code 0") throw new Error(`the demo import failed (${how})`);
    await supervisor.ready(gateway, 60_000);

    return {
      services,
      gateway,
      opsPorts,
      sip2Port,
      databases: databases as Record<ServiceName, TestDatabase>,
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
