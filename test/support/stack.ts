/**
 * The whole circulation backend in this process, for end-to-end tests: the
 * five services (patron, item, loan, fee, hold), each on its own fresh test
 * database, all sharing one private NATS corner (subject and stream prefix),
 * talking to each other over real gRPC on 127.0.0.1. Nothing is stubbed: what
 * the tests see is what a deployment does, minus the processes.
 *
 * ```ts
 * const stack = await startStack();
 * try {
 *   await runImport(input, { addresses: stack.addresses });
 *   // … drive the services (or a gateway pointed at stack.subjectPrefix) …
 * } finally {
 *   await stack.stop();
 * }
 * ```
 *
 * Needs the vitest project to merge `withBackends` (real Postgres and NATS).
 */
import type { ServiceName } from "@circulate/contracts";
import type { EventStoreDatabase } from "@circulate/eventstore";
import { feeService } from "@circulate/fee";
import { holdService } from "@circulate/hold";
import { itemService } from "@circulate/item";
import { loanService } from "@circulate/loan";
import { type PatronServiceOptions, patronService } from "@circulate/patron";
import { type RunningService, type ServiceConfig, type ServiceDefinition, startService } from "@circulate/service";
import { type LogLevel, readEnv } from "@circulate/runtime";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import pino from "pino";
import { freePort } from "@circulate/testing";

/** The services of the stack, in the order of `SERVICE_PORTS`. */
export const STACK_SERVICES = ["patron", "item", "loan", "fee", "hold"] as const satisfies readonly ServiceName[];

export interface StackOptions {
  /** Clock of the loan, fee and hold services (the patron service reads the real one). Default: real time. */
  readonly now?: () => Date;
  /** Zone of institutions nobody loaded (loan and fee defaults). Default "UTC". */
  readonly defaultTimeZone?: string;
  /**
   * Patron service settings. Default: scrypt N = 2^12 instead of 2^14, so a
   * test that checks many PINs does not spend most of its time hashing
   * (hashes keep their own parameters; the rules are the same).
   */
  readonly patron?: Partial<PatronServiceOptions>;
  /** pino level of the services' logs. Default: CIRCULATE_E2E_LOG_LEVEL, else "silent". */
  readonly logLevel?: LogLevel;
}

export interface Stack {
  /** gRPC address (host:port) of each service: what the import, a gateway or a test client dials. */
  readonly addresses: Readonly<Record<ServiceName, string>>;
  /** The running services (their Kysely `db`, ops server, relay) for assertions a gRPC API cannot make. */
  readonly services: Readonly<Record<ServiceName, RunningService<EventStoreDatabase>>>;
  /** Each service's own database. */
  readonly databases: Readonly<Record<ServiceName, TestDatabase>>;
  /** NATS URL and the private prefixes: a gateway must publish commands under `nats.subjectPrefix`. */
  readonly nats: Pick<TestNats, "url" | "subjectPrefix" | "streamPrefix">;
  /** Milliseconds from the call to all five services ready. */
  readonly startupMs: number;
  /** Stops one service (a peer going down); its database and durable consumers stay. */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped service again on its database, port and streams; resolves when it serves. */
  startService(name: ServiceName): Promise<void>;
  /** Stops the services (draining in-flight work), then removes their databases and streams. Safe to call twice. */
  stop(): Promise<void>;
}

/** The five service definitions with the stack's settings (also for stacks on private backends). */
export function definitions(options: StackOptions): Record<ServiceName, ServiceDefinition<ServiceName, EventStoreDatabase>> {
  const clock = options.now ? { now: options.now } : {};
  const zone = options.defaultTimeZone ?? "UTC";
  const defs = {
    patron: patronService({ scryptN: 2 ** 12, ...options.patron }),
    item: itemService(),
    loan: loanService({ defaultTimeZone: zone, ...clock }),
    fee: feeService({ settings: { defaultTimeZone: zone, defaultCurrency: "USD" }, ...clock }),
    hold: holdService({ ...clock }),
  };
  // Each definition is typed by its own database; the stack only needs the common part.
  return defs as unknown as Record<ServiceName, ServiceDefinition<ServiceName, EventStoreDatabase>>;
}

/** Starts the five services (in parallel) and resolves when every one is serving. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const started = performance.now();
  const level = options.logLevel ?? readEnv().logLevel("CIRCULATE_E2E_LOG_LEVEL", "silent");
  const nats = createTestNats();
  const databases: Partial<Record<ServiceName, TestDatabase>> = {};
  const services: Partial<Record<ServiceName, RunningService<EventStoreDatabase>>> = {};
  const configs: Partial<Record<ServiceName, ServiceConfig>> = {};
  const down = new Set<ServiceName>();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(Object.entries(services).map(([name, s]) => (down.has(name as ServiceName) ? undefined : s.stop())));
    await Promise.all([nats.cleanup(), ...Object.values(databases).map((d) => d.drop())]);
  };

  try {
    const ports = await Promise.all(STACK_SERVICES.map(() => freePort()));
    const addresses = Object.fromEntries(STACK_SERVICES.map((name, i) => [name, `127.0.0.1:${ports[i]}`])) as Record<ServiceName, string>;
    await Promise.all(
      STACK_SERVICES.map(async (name) => {
        databases[name] = await createTestDatabase();
      }),
    );
    const defs = definitions(options);
    const launch = async (name: ServiceName) => {
      services[name] = await startService(defs[name], configs[name]!, { logger: pino({ level, base: { service: name } }) });
    };
    await Promise.all(
      STACK_SERVICES.map(async (name, i) => {
        configs[name] = {
          postgresUrl: databases[name]!.url,
          createDatabase: false,
          natsUrl: nats.url,
          subjectPrefix: nats.subjectPrefix,
          streamPrefix: nats.streamPrefix,
          grpcHost: "127.0.0.1",
          grpcPort: ports[i]!,
          opsHost: "127.0.0.1",
          opsPort: 0,
          peers: addresses,
          logLevel: level,
          prettyLogs: false,
        };
        await launch(name);
      }),
    );
    return {
      addresses,
      services: services as Record<ServiceName, RunningService<EventStoreDatabase>>,
      databases: databases as Record<ServiceName, TestDatabase>,
      nats: { url: nats.url, subjectPrefix: nats.subjectPrefix, streamPrefix: nats.streamPrefix },
      startupMs: Math.round(performance.now() - started),
      stopService: async (name) => {
        if (down.has(name)) return;
        down.add(name);
        await services[name]!.stop();
      },
      startService: async (name) => {
        if (!down.has(name)) return;
        await launch(name);
        down.delete(name);
      },
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
