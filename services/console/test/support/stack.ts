/**
 * The five services in this process on fresh test databases and a private NATS
 * corner, the demo library imported into them, and the console pointed at
 * them: the minimum of test/support/stack.ts the console's tests need. Every
 * log line of all of it goes to one capture, for the tests that look for
 * secrets in logs.
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "@circulate/contracts";
import type { EventStoreDatabase } from "@circulate/eventstore";
import { feeService } from "@circulate/fee";
import { holdService } from "@circulate/hold";
import { loadImportInput, runImport } from "@circulate/import";
import { itemService } from "@circulate/item";
import { loanService } from "@circulate/loan";
import { patronService } from "@circulate/patron";
import { createLogger } from "@circulate/runtime";
import { type RunningService, type ServiceDefinition, startService } from "@circulate/service";
import { createTestDatabase, createTestNats, type TestDatabase } from "@circulate/testing";
import { startConsole } from "../../src/console.js";
import { consoleConfigFromEnv } from "../../src/settings.js";
import { type ConsoleHandle, startConsoleProcess } from "./console-process.js";

const DEMO = fileURLToPath(new URL("../../../../infra/demo", import.meta.url));
const NAMES = ["patron", "item", "loan", "fee", "hold"] as const satisfies readonly ServiceName[];

/** Every line any logger of the stack wrote. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter((l) => l !== ""));
    done();
  }
}

export interface ConsoleStack {
  readonly console: ConsoleHandle;
  readonly services: Readonly<Record<ServiceName, RunningService<EventStoreDatabase>>>;
  readonly addresses: Readonly<Record<ServiceName, string>>;
  readonly nats: { url: string; subjectPrefix: string; streamPrefix: string };
  readonly logs: LogCapture;
  /** Stops one service (an outage the console must answer well-formed); the others keep running. */
  stopService(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `consoleEnv`: settings of the console on top of the stack's own (e.g. a short silence
 * threshold). `consoleProcess`: run the console as its own process (src/main.ts) instead of in
 * this one.
 */
export async function startConsoleStack(options: { consoleEnv?: Record<string, string>; consoleProcess?: boolean } = {}): Promise<ConsoleStack> {
  const logs = new LogCapture();
  const nats = createTestNats();
  const databases: TestDatabase[] = [];
  const services: Partial<Record<ServiceName, RunningService<EventStoreDatabase>>> = {};
  let running: ConsoleHandle | undefined;
  const down = new Set<ServiceName>();
  const stopService = async (name: ServiceName) => {
    if (down.has(name)) return;
    down.add(name);
    await services[name]?.stop();
  };
  const stop = async () => {
    await running?.stop();
    await Promise.all(NAMES.map((name) => stopService(name)));
    await Promise.all([nats.cleanup(), ...databases.map((d) => d.drop())]);
  };
  try {
    const dbs = await Promise.all([...NAMES, "console"].map(() => createTestDatabase()));
    databases.push(...dbs);
    const defs = {
      // scrypt N = 2^12: the rules are the same, the test spends less time hashing PINs.
      patron: patronService({ scryptN: 2 ** 12 }),
      item: itemService(),
      loan: loanService({ defaultTimeZone: "UTC" }),
      fee: feeService({ settings: { defaultTimeZone: "UTC", defaultCurrency: "USD" } }),
      hold: holdService(),
    } as unknown as Record<ServiceName, ServiceDefinition<ServiceName, EventStoreDatabase>>;
    // Port 0 for every service: peers are only asked synchronously for PIN checks, which go to the patron service, started first.
    const shared = { createDatabase: false, natsUrl: nats.url, subjectPrefix: nats.subjectPrefix, streamPrefix: nats.streamPrefix, grpcHost: "127.0.0.1", opsHost: "127.0.0.1", opsPort: 0, logLevel: "info" as const, prettyLogs: false };
    const addresses: Partial<Record<ServiceName, string>> = {};
    const start = async (name: ServiceName, i: number) => {
      const peers = { patron: addresses.patron ?? "127.0.0.1:1", item: "127.0.0.1:1", loan: "127.0.0.1:1", fee: "127.0.0.1:1", hold: "127.0.0.1:1" };
      services[name] = await startService(defs[name], { ...shared, postgresUrl: dbs[i]!.url, grpcPort: 0, peers }, { logger: createLogger({ service: name, level: "info" }, logs) });
      addresses[name] = services[name]!.grpcAddress;
    };
    await start("patron", 0);
    await Promise.all(NAMES.slice(1).map((name, i) => start(name, i + 1)));
    await runImport(await loadImportInput(DEMO), { addresses: addresses as Record<ServiceName, string> });
    const env: Record<string, string> = {
      CONSOLE_POSTGRES_URL: dbs[5]!.url,
      CREATE_DATABASES: "false",
      NATS_URL: nats.url,
      SUBJECT_PREFIX: nats.subjectPrefix,
      STREAM_PREFIX: nats.streamPrefix,
      CONSOLE_HTTP_PORT: "0",
      CONSOLE_OPS_PORT: "0",
      ...Object.fromEntries(NAMES.map((n) => [`${n.toUpperCase()}_GRPC_ADDRESS`, addresses[n]!])),
      ...options.consoleEnv,
    };
    running = options.consoleProcess
      ? await startConsoleProcess(env, logs.lines)
      : await startConsole(consoleConfigFromEnv(env), { logger: createLogger({ service: "console", level: "info" }, logs) });
    return {
      console: running,
      services: services as Record<ServiceName, RunningService<EventStoreDatabase>>,
      addresses: addresses as Record<ServiceName, string>,
      nats: { url: nats.url, subjectPrefix: nats.subjectPrefix, streamPrefix: nats.streamPrefix },
      logs,
      stopService,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
