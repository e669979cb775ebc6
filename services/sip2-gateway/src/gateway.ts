import { readFile } from "node:fs/promises";
import { grpcCredentials, natsConnectOptions, startReplySink } from "@circulate/commandbus";
import type { commands } from "@circulate/contracts";
import { type Closer, type Logger, NATS_RECONNECT, type OpsServer, startOpsServer } from "@circulate/runtime";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { collectDefaultMetrics, Registry } from "prom-client";
import { AccountRegistry } from "./app/accounts.js";
import { Dispatcher } from "./app/dispatcher.js";
import { ResponseCache } from "./app/response-cache.js";
import { RoutedRequests } from "./app/routed.js";
import { VerifiedPasswords } from "./app/passwords.js";
import type { SessionDeps } from "./app/session.js";
import { type Translator, translator as defaultTranslator } from "./app/translator.js";
import { loadAccountsFile, watchAccountsFile } from "./adapters/accounts-file.js";
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
  const accounts = new AccountRegistry(await loadAccountsFile(config.accountsFile));
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
  const common = { host: config.sip2Host, idleTimeoutMs: config.idleTimeoutMs, deps, metrics, logger };
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
  const watcher = watchAccountsFile(config.accountsFile, logger, (loaded) => {
    accounts.replace(loaded);
    // A switched-off account must stop now, not at its kiosks' next reconnect.
    const off = accounts.inactive();
    if (off.size === 0) return;
    for (const login of off) {
      const closed = tcp.closeSessionsOf(new Set([login])) + (tls?.closeSessionsOf(new Set([login])) ?? 0);
      if (closed > 0) logger.warn({ terminal: login, connections: closed }, "connections of a switched-off account closed");
    }
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
    { name: "sip2 listeners", close: () => Promise.all([tcp.close(), tls?.close()]) },
    { name: "reply sink", close: () => sink.close() },
    { name: "health", close: () => health.stop() },
    { name: "login throttle", close: () => throttle.stop() },
    { name: "nats", close: () => nc.drain() },
    { name: "ops", close: () => ops.close() },
  ];
  logger.info({ tcp: tcp.address, tls: tls?.address, replyTo, ops: ops.url, accounts: accounts.size }, "sip2 gateway started");
  return {
    tcp,
    tls,
    ops,
    replyTo,
    accounts,
    health,
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
