import { readFileSync } from "node:fs";
import { grpcCredentials, natsConnectOptions } from "@circulate/commandbus";
import { createPool, ensureStream, migrateDatabase, type Relay, startRelay } from "@circulate/eventstore";
import { type Closer, createLogger, type Logger, NATS_RECONNECT, OutageLog, type OpsServer, startOpsServer, startProbe, watchNats } from "@circulate/runtime";
import { ensureDatabase, protoJsonEncoder, relayMessage } from "@circulate/service";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { FastifyInstance } from "fastify";
import { Kysely, PostgresDialect } from "kysely";
import { consoleMigrations } from "#migrations";
import { AuditLog } from "./audit.js";
import type { ConsoleDatabase, ConsoleDb } from "./db.js";
import { buildApp } from "./http/app.js";
import type { ConsoleDeps } from "./http/deps.js";
import { ImportJobs } from "./imports/import-jobs.js";
import { apiRoutes } from "./routes/index.js";
import { ServiceClients } from "./service-clients.js";
import { Sessions } from "./sessions.js";
import type { ConsoleConfig } from "./settings.js";
import { FleetWatch } from "./terminals/fleet-watch.js";
import { LoginThrottle, type ThrottlePolicy } from "./throttle.js";

/** The console's events: `<prefix>.evt.console.<Type>`, in `<PREFIX>_CONSOLE_EVENTS`. */
export const consoleStreamName = (streamPrefix: string) => `${streamPrefix}_CONSOLE_EVENTS`;
export const consoleSubject = (subjectPrefix: string, type: string) => `${subjectPrefix}.evt.console.${type}`;

export interface RunningConsole {
  /** Base URL of the HTTP API. */
  readonly url: string;
  readonly ops: OpsServer;
  readonly db: ConsoleDb;
  readonly relay: Relay;
  readonly app: FastifyInstance;
  /** Stop taking requests, finish those in flight, publish what is committed, close. */
  stop(): Promise<void>;
}

export interface ConsoleOptions {
  logger?: Logger;
  throttle?: ThrottlePolicy;
}

/**
 * Starts the console process: its database (created if allowed) and
 * migrations, its event stream and relay, clients of the five services, the
 * ops server (/healthz, /readyz, /metrics) and the HTTP API.
 */
export async function startConsole(config: ConsoleConfig, options: ConsoleOptions = {}): Promise<RunningConsole> {
  const logger = options.logger ?? createLogger({ service: "console", level: config.logLevel, pretty: config.prettyLogs });
  if (config.createDatabase) await ensureDatabase(config.postgresUrl);
  const pool = createPool({ connectionString: config.postgresUrl, max: 5, onError: (err) => logger.debug({ err }, "postgres connection lost") });
  const db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool }) });
  const closers: Closer[] = [];
  try {
    await migrateDatabase(db, consoleMigrations);
    const nc = await connect({ servers: config.natsUrl, name: "circulate-console", ...NATS_RECONNECT, ...natsConnectOptions(config.natsSecurity) });
    closers.unshift({ name: "nats", close: () => nc.drain() });
    const natsState = watchNats(nc, logger);
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, {
      name: consoleStreamName(config.streamPrefix),
      subjects: [consoleSubject(config.subjectPrefix, ">")],
      config: { num_replicas: config.streamReplicas },
    });
    const relayOutage = new OutageLog(logger, "relay");
    const relay = startRelay({
      database: config.postgresUrl,
      js: jetstream(nc),
      name: "console",
      // As the services: an EventEnvelope around the library.console.v1 message, from the stored proto3 JSON.
      toMessage: relayMessage(config.subjectPrefix, protoJsonEncoder),
      onError: (err) => relayOutage.failed(err),
      onRecovered: () => relayOutage.recovered(),
    });
    closers.unshift({ name: "relay", close: () => relay.stop() });
    const postgres = startProbe(() => pool.query("SELECT 1"), {
      onChange: (ok, err) => (ok ? logger.info("postgres reachable again") : logger.warn({ err }, "postgres unreachable")),
    });
    closers.unshift({ name: "postgres probe", close: () => postgres.stop() });

    const services = new ServiceClients(config.services, grpcCredentials(config.grpcTls).client(), config.grpcTimeoutMs);
    closers.unshift({ name: "service clients", close: () => services.close() });
    const sessions = new Sessions(db, config.session);
    const fleet = await FleetWatch.start(nc, config.streamPrefix, { replicas: config.streamReplicas, logger });
    closers.unshift({ name: "fleet watch", close: () => fleet.stop() });
    const streams = new Set<() => void>();
    const audit = new AuditLog(db, () => relay.wake());
    const imports = new ImportJobs({
      addresses: config.services,
      credentials: grpcCredentials(config.grpcTls).client(),
      maxBytes: config.importMaxBytes,
      record: (event) => audit.record(event),
      logger,
    });
    await imports.sweep();
    closers.unshift({ name: "imports", close: () => imports.stop() });
    const deps: ConsoleDeps = {
      db,
      sessions,
      sessionPolicy: config.session,
      audit,
      services,
      throttle: new LoginThrottle(options.throttle),
      secureCookies: config.secureCookies,
      allowedOrigins: config.allowedOrigins,
      trustedProxies: config.trustedProxies,
      https: config.httpTls ? { cert: readFileSync(config.httpTls.certFile), key: readFileSync(config.httpTls.keyFile) } : undefined,
      terminals: { watch: fleet, silentMs: config.terminalSilentMs, pushMs: config.fleetPushMs, streams },
      webDir: config.webDir,
      imports,
    };
    const app = await buildApp(deps, apiRoutes(deps), logger);
    await app.listen({ host: config.httpHost, port: config.httpPort });
    closers.unshift({ name: "http", close: () => app.close() });
    // Before the HTTP server: it waits for open connections, and a fleet stream never ends by itself.
    closers.unshift({ name: "fleet streams", close: async () => {
        for (const end of [...streams]) end();
      },
    });
    const sweep = setInterval(() => void sessions.sweep().catch((err) => logger.debug({ err }, "session sweep failed")), 10 * 60_000);
    sweep.unref();
    closers.unshift({ name: "session sweep", close: () => clearInterval(sweep) });

    const ops = await startOpsServer({
      host: config.opsHost,
      port: config.opsPort,
      readiness: { postgres: () => postgres.ok(), nats: () => natsState.connected() },
    });
    closers.unshift({ name: "ops", close: () => ops.close() });
    closers.unshift({ name: "readiness", close: () => ops.setDraining(true) });

    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.httpPort;
    const url = `${config.httpTls ? "https" : "http"}://${config.httpHost.includes(":") ? `[${config.httpHost}]` : config.httpHost}:${port}`;
    logger.info({ http: url, ops: ops.url, web: config.webDir ?? null }, "console started");
    let stopped: Promise<void> | undefined;
    return {
      url,
      ops,
      db,
      relay,
      app,
      stop: () => (stopped ??= closeAll(closers, db, logger)),
    };
  } catch (err) {
    await closeAll(closers, db, logger);
    throw err;
  }
}

/**
 * In order: readiness off, the HTTP server (in-flight requests finish), the
 * relay (what they committed is published), then connections. `closers` is
 * built with unshift, so it already runs last-opened first.
 */
async function closeAll(closers: readonly Closer[], db: ConsoleDb, logger: Logger): Promise<void> {
  for (const c of closers) {
    try {
      await c.close();
    } catch (err) {
      logger.warn({ err, closer: c.name }, "closer failed");
    }
  }
  await db.destroy();
}
