import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { grpcCredentials, natsConnectOptions, startReplySink } from "@circulate/commandbus";
import type { commands } from "@circulate/contracts";
import { type Closer, type Logger, NATS_RECONNECT, type OpsServer, startOpsServer } from "@circulate/runtime";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { collectDefaultMetrics, Registry } from "prom-client";
import { AccountSources } from "./app/account-sources.js";
import { AccountRegistry } from "./app/accounts.js";
import { fileAccountsOf } from "./app/file-accounts.js";
import { Fleet } from "./app/fleet.js";
import { Dispatcher } from "./app/dispatcher.js";
import { ResponseCache } from "./app/response-cache.js";
import { RoutedRequests } from "./app/routed.js";
import { VerifiedPasswords } from "./app/passwords.js";
import type { SessionDeps } from "./app/session.js";
import { type Translator, translator as defaultTranslator } from "./app/translator.js";
import { loadAccountsFile, watchAccountsFile } from "./adapters/accounts-file.js";
import { KvAccountsWatch } from "./adapters/accounts-kv.js";
import { KvFleetStore } from "./adapters/fleet-kv.js";
import { PingHealth } from "./adapters/backend-health.js";
import { KvLoginThrottle } from "./adapters/login-throttle-kv.js";
import { KvTerminalHistory } from "./adapters/terminal-history-kv.js";
import { PromMetrics } from "./adapters/metrics.js";
import { type Listener, startListener } from "./adapters/sip2-listener.js";
import type { GatewayConfig } from "./config.js";

export interface RunningGateway {
  tcp: Listener;
  tls: Listener | undefined;
  ops: OpsServer;
  /** gRPC address services deliver outcomes to. */
  replyTo: string;
  accounts: AccountRegistry;
  health: PingHealth;
  /** Names this replica's entries in the fleet bucket. */
  gatewayId: string;
  fleet: Fleet;
  /** Re-reads the accounts file now (what SIGHUP does); false when it did not load. */
  reloadAccounts: () => Promise<boolean>;
  /** Stop accepting, answer what is in flight, close everything. */
  stop: () => Promise<void>;
}

/**
 * Starts the gateway: accounts, NATS, the reply sink, backend health, the SIP2
 * listeners and the ops server. Shutdown order: readiness off, listeners stop
 * accepting and sessions write what they owe, then sink, health, NATS, ops.
 */
export async function startGateway(
  config: GatewayConfig,
  options: { logger: Logger; translator?: Translator },
): Promise<RunningGateway> {
  const { logger } = options;
  const accounts = new AccountRegistry();
  const sources = new AccountSources(accounts, logger);
  const fileAccounts = await loadAccountsFile(config.accountsFile);
  sources.setFile(fileAccounts);
  const gatewayId = config.gatewayId ?? defaultGatewayId();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new PromMetrics(registry);

  const nc: NatsConnection = await connect({
    servers: config.natsUrl,
    name: "circulate-sip2-gateway",
    ...NATS_RECONNECT,
    ...natsConnectOptions(config.natsSecurity),
  });
  const dispatcher = new Dispatcher(nc, config.subjectPrefix, logger);
  const terminals = await KvTerminalHistory.open(nc, config.streamPrefix, undefined, config.streamReplicas);
  const onOutcome = (o: commands.Outcome): boolean => {
    const waited = dispatcher.deliver(o);
    if (!waited && o.result?.$case === "accepted" && !o.replayed) {
      // The kiosk was told "timed out" for something that happened; its retry of the request gets the truth.
      logger.warn({ commandId: o.commandId }, "applied outcome arrived after the kiosk was answered");
      metrics.lateAppliedOutcome();
    }
    return waited;
  };
  const sink = await startReplySink({ host: config.grpcHost, port: config.grpcPort, onOutcome, credentials: grpcCredentials(config.grpcTls).server() });
  const replyTo = config.advertiseAddress ?? sink.address;
  const health = new PingHealth({
    nc,
    prefix: config.subjectPrefix,
    logger,
    ...config.health,
    onChange: (service, up) => metrics.backend(service, up),
  });
  await health.start();

  // Bound late: the listeners whose connections it closes start after the accounts are read.
  let closeSessions = (_logins: ReadonlySet<string>) => {};
  const accountsKv = config.accountsKv === false
    ? undefined
    : await KvAccountsWatch.open(nc, config.streamPrefix, { sources, close: (logins) => closeSessions(logins), logger, replicas: config.streamReplicas ?? 1 });
  const fleetTiming = config.fleet ?? { refreshMs: 20_000, writeMs: 2_000 };
  const fleetStore = await KvFleetStore.open(nc, config.streamPrefix, { maxAgeMs: 3 * fleetTiming.refreshMs, replicas: config.streamReplicas ?? 1, logger });
  // A bucket made with a shorter max age than asked for still sees every live entry refreshed in time.
  const fleet = new Fleet(fleetStore, { gatewayId, writeMs: fleetTiming.writeMs, refreshMs: Math.min(fleetTiming.refreshMs, Math.floor(fleetStore.maxAgeMs / 3)), logger });
  fleet.fileAccounts(fileAccountsOf(fileAccounts));
  fleet.start();

  const throttle = await KvLoginThrottle.open(nc, config.streamPrefix, config.login, logger, undefined, config.streamReplicas);
  const deps: SessionDeps = {
    accounts,
    throttle,
    passwords: new VerifiedPasswords(),
    routed: new RoutedRequests({
      dispatcher,
      health,
      cache: new ResponseCache(),
      terminals,
      translator: options.translator ?? defaultTranslator,
      logger,
      replyTo: () => replyTo,
      replyMarginMs: config.replyMarginMs,
      commitReserveMs: config.commitReserveMs,
    }),
    health,
    metrics,
    logger,
    maxFrameBytes: config.maxFrameBytes,
  };
  const common = { host: config.sip2Host, idleTimeoutMs: config.idleTimeoutMs, deps, metrics, logger, fleet };
  const tcp = await startListener({ ...common, name: "tcp", port: config.tcpPort });
  let tls: Listener | undefined;
  if (config.tls) {
    const [cert, key, ca] = await Promise.all([
      readFile(config.tls.certFile),
      readFile(config.tls.keyFile),
      config.tls.caFile ? readFile(config.tls.caFile) : undefined,
    ]);
    tls = await startListener({
      ...common,
      name: "tls",
      port: config.tlsPort,
      tls: { cert, key, ...(ca ? { ca } : {}), requireClientCert: config.tls.requireClientCert },
    });
  }
  // A switched-off account (or one gone from the KV bucket) must stop now, not at its kiosks' next reconnect.
  closeSessions = (logins) => {
    for (const login of logins) {
      const closed = tcp.closeSessionsOf(new Set([login])) + (tls?.closeSessionsOf(new Set([login])) ?? 0);
      if (closed > 0) logger.warn({ terminal: login, connections: closed }, "connections of a switched-off account closed");
    }
  };
  closeSessions(accounts.inactive());
  const watcher = watchAccountsFile(config.accountsFile, logger, (loaded) => {
    closeSessions(sources.setFile(loaded));
    fleet.fileAccounts(fileAccountsOf(loaded));
  });

  const ops = await startOpsServer({
    host: config.opsHost,
    port: config.opsPort,
    registry,
    // Not ready only while NATS is gone (no command can go anywhere): a service with no replica
    // answering is said by 98 on-line N and refusals, so one service down does not drain every gateway.
    readiness: { nats: () => health.natsConnected(), accounts: () => accounts.size > 0 },
  });

  const closers: Closer[] = [
    { name: "readiness", close: () => ops.setDraining(true) },
    { name: "accounts watcher", close: () => watcher.close() },
    { name: "accounts KV watch", close: () => accountsKv?.stop() },
    { name: "sip2 listeners", close: () => Promise.all([tcp.close(), tls?.close()]) },
    // After the listeners: their connections are marked closed here, before NATS goes.
    { name: "fleet", close: () => fleet.stop() },
    { name: "reply sink", close: () => sink.close() },
    { name: "health", close: () => health.stop() },
    { name: "login throttle", close: () => throttle.stop() },
    { name: "nats", close: () => nc.drain() },
    { name: "ops", close: () => ops.close() },
  ];
  logger.info({ tcp: tcp.address, tls: tls?.address, replyTo, ops: ops.url, accounts: accounts.size, gatewayId }, "sip2 gateway started");
  return {
    tcp,
    tls,
    ops,
    replyTo,
    accounts,
    health,
    gatewayId,
    fleet,
    reloadAccounts: watcher.reload,
    stop: async () => {
      for (const c of closers) {
        try {
          await c.close();
        } catch (err) {
          logger.warn({ err, closer: c.name }, "closer failed");
        }
      }
    },
  };
}

/** The host name (dots and all else outside a KV key token made `-`) and a random suffix, unique per start. */
function defaultGatewayId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_-]/g, "-")}-${randomBytes(3).toString("hex")}`;
}
