import { type CommandHandlers, grpcCredentials, natsConnectOptions, ReplyClient, serveCommands } from "@circulate/commandbus";
import { type AnyEvent, type commands, type EventType, events, type ServiceName, serviceEventsSubject, unpackEvent } from "@circulate/contracts";
import {
  createPool,
  type DurableConsumer,
  type EventStoreDatabase,
  ensureStream,
  migrateDatabase,
  type Relay,
  relayLag,
  startConsumer,
  startRelay,
} from "@circulate/eventstore";
import {
  type Closer,
  createLogger,
  type Logger,
  NATS_RECONNECT,
  type OpsServer,
  OutageLog,
  startOpsServer,
  startProbe,
  watchNats,
} from "@circulate/runtime";
import * as grpc from "@grpc/grpc-js";
import { type JetStreamClient, type JetStreamManager, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kysely, type Migration, PostgresDialect, type Transaction } from "kysely";
import { collectDefaultMetrics, Registry } from "prom-client";
import { eventStreamName, type ServiceConfig } from "./config.js";
import { ensureDatabase } from "./database.js";
import { type EventEncoder, relayMessage } from "./events.js";
import { historyGrpc } from "./history/history.rpc.js";
import { DEFAULT_REFUSAL_RETENTION_DAYS, HOUSEKEEPING_INTERVAL_MS, startHousekeeping } from "./history/housekeeping.js";
import { ServiceMetrics } from "./metrics.js";
import { DEFAULT_MAX_PROJECTION_LAG, type PeerProjections, Projections } from "./projections.js";
import type { ProjectionSpec } from "./rebuild.js";
import { servedInSpan } from "./tracing.js";

/** What a service's `build` gets: its infrastructure, ready to use. */
export interface ServiceContext<DB extends EventStoreDatabase> {
  config: ServiceConfig;
  db: Kysely<DB>;
  nc: NatsConnection;
  js: JetStreamClient;
  logger: Logger;
  /** Wakes the relay after a commit so events go out without waiting for the next poll. */
  eventsCommitted: () => void;
  /** The read-your-writes barrier over this service's projections of peers' events. */
  projections: PeerProjections;
  /** How clients of peers connect: mutual TLS when configured (GRPC_TLS_*), else plain text. */
  peerCredentials: grpc.ChannelCredentials;
}

/** A durable consumer of another service's events, applied in batches, in stream order. */
export interface EventSubscription<DB extends EventStoreDatabase> {
  from: ServiceName;
  /** Durable consumer name, unique per consuming service, e.g. "item-from-loan". */
  name: string;
  /** The event types `handle` acts on; others are acknowledged without a transaction. Default: all. */
  types?: readonly EventType[];
  /**
   * `handle` changes nothing when given an event again (a copy kept by stream
   * position): no dedupe records are kept for it. Default false.
   */
  idempotent?: boolean;
  handle: (event: AnyEvent, envelope: events.EventEnvelope, trx: Transaction<DB>) => Promise<void>;
  /**
   * Applies the events of one transaction at once, in stream order, instead of
   * `handle` one by one (an idempotent copy written in one statement); only
   * with `idempotent`.
   */
  handleBatch?: (batch: readonly DeliveredEvent[], trx: Transaction<DB>) => Promise<void>;
}

/** An event as a consumer receives it: the event and the envelope it came in. */
export interface DeliveredEvent {
  readonly event: AnyEvent;
  readonly envelope: events.EventEnvelope;
}

export interface GrpcService {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

/** The parts a service is made of; the host wires and runs them. */
export interface ServiceParts<S extends ServiceName, DB extends EventStoreDatabase> {
  handlers: CommandHandlers<S>;
  grpc?: GrpcService[];
  encodeEvent: EventEncoder;
  subscriptions?: EventSubscription<DB>[];
  close?: () => Promise<void>;
}

export interface ServiceDefinition<S extends ServiceName, DB extends EventStoreDatabase> {
  name: S;
  migrations: Record<string, Migration>;
  /** Its copies of peers' facts that may be rebuilt from the streams (`rebuild-projections`). */
  projections?: readonly ProjectionSpec[];
  build: (ctx: ServiceContext<DB>) => Promise<ServiceParts<S, DB>> | ServiceParts<S, DB>;
}

export interface RunningService<DB extends EventStoreDatabase> {
  name: ServiceName;
  db: Kysely<DB>;
  grpcAddress: string;
  ops: OpsServer;
  logger: Logger;
  relay: Relay;
  /**
   * gRPC calls this service has served, by `Service/method`: how often its peers
   * ask it synchronously (what deciding from local projections is to bring down).
   */
  grpcCallsServed: () => Readonly<Record<string, number>>;
  /** Stop accepting, finish in-flight commands, close everything. */
  stop: () => Promise<void>;
}

/**
 * Starts one circulation service: database (created if allowed) and
 * migrations, JetStream streams, the ordered event relay, consumers of other
 * services' events, the gRPC server, the NATS command queue group, and the ops
 * HTTP server. Shutdown runs in the reverse order of exposure: readiness off,
 * commands drained, gRPC drained, consumers and relay stopped, connections closed.
 */
export async function startService<S extends ServiceName, DB extends EventStoreDatabase>(
  definition: ServiceDefinition<S, DB>,
  config: ServiceConfig,
  options: { logger?: Logger } = {},
): Promise<RunningService<DB>> {
  const logger = options.logger ?? createLogger({ service: definition.name, level: config.logLevel, pretty: config.prettyLogs });
  if (config.createDatabase) await ensureDatabase(config.postgresUrl);

  // A lost connection is logged by the probe below (once per outage), not once per connection.
  const pool = createPool({ connectionString: config.postgresUrl, max: 10, onError: (err) => logger.debug({ err }, "postgres connection lost") });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  await migrateDatabase(db, definition.migrations);

  const nc = await connect({ servers: config.natsUrl, name: `circulate-${definition.name}`, ...NATS_RECONNECT, ...natsConnectOptions(config.natsSecurity) });
  const natsState = watchNats(nc, logger);
  const postgres = startProbe(() => pool.query("SELECT 1"), {
    onChange: (ok, err) => (ok ? logger.info("postgres reachable again") : logger.warn({ err }, "postgres unreachable")),
  });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const ownStream = eventStreamName(config.streamPrefix, definition.name);
  // Replicas apply when a stream is created; an existing stream keeps its own.
  const replicated = { num_replicas: config.streamReplicas ?? 1 };
  await ensureStream(jsm, { name: ownStream, subjects: [serviceEventsSubject(definition.name, config.subjectPrefix)], config: replicated });

  let relay: Relay | undefined;
  let commits = 0;
  const projections = new Projections();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new ServiceMetrics(registry, () => relayLag(db, definition.name));
  const eventsCommitted = () => {
    commits++;
    relay?.wake();
  };
  const credentials = grpcCredentials(config.grpcTls);
  const parts = await definition.build({ config, db, nc, js, logger, eventsCommitted, projections, peerCredentials: credentials.client() });

  const relayOutage = new OutageLog(logger, "relay");
  relay = startRelay({
    database: config.postgresUrl,
    js,
    name: definition.name,
    toMessage: relayMessage(config.subjectPrefix, parts.encodeEvent),
    onError: (err) => relayOutage.failed(err),
    onRecovered: () => relayOutage.recovered(),
    onPublished: (batch) => metrics.published(batch.map((p) => p.event.type)),
  });

  const consumers: DurableConsumer[] = [];
  // Barriers ask JetStream where consumers stand; a short timeout keeps a question lost in a NATS restart from holding them.
  let positionManager: Promise<JetStreamManager> | undefined;
  const positionApi = () => (positionManager ??= jetstreamManager(nc, { timeout: POSITION_API_TIMEOUT_MS }));
  const deliveredEvent = (msg: JsMsg): DeliveredEvent | undefined => {
    const envelope = events.EventEnvelope.decode(msg.data);
    try {
      return { event: unpackEvent(envelope), envelope };
    } catch (err) {
      // An event type newer than this service: skip it, never block the stream.
      logger.warn({ err, type: envelope.type }, "unknown event skipped");
      return undefined;
    }
  };
  for (const sub of parts.subscriptions ?? []) {
    const stream = eventStreamName(config.streamPrefix, sub.from);
    await ensureStream(jsm, { name: stream, subjects: [serviceEventsSubject(sub.from, config.subjectPrefix)], config: replicated });
    const outage = new OutageLog(logger, `event consumer ${sub.name}`, { consumer: sub.name });
    const types = sub.types ? new Set<string>(sub.types) : undefined;
    const consumer = await startConsumer<DB>({
        db,
        js,
        stream,
        durableName: sub.name,
        dedupe: !sub.idempotent,
        positionApi,
        // The subject's last token is the event type (`<prefix>.evt.<service>.<EventType>`).
        ...(types ? { wants: (msg: JsMsg) => types.has(msg.subject.slice(msg.subject.lastIndexOf(".") + 1)) } : {}),
        handle: async (msg, trx) => {
          const delivered = deliveredEvent(msg);
          if (delivered) await sub.handle(delivered.event, delivered.envelope, trx);
        },
        ...(sub.handleBatch ? { handleBatch: (msgs, trx) => sub.handleBatch!(msgs.flatMap((m) => deliveredEvent(m) ?? []), trx) } : {}),
        onError: (err) => outage.failed(err),
        onRecovered: () => outage.recovered(),
      });
    consumers.push(consumer);
    projections.add(sub.from, consumer);
  }

  const server = new grpc.Server();
  const served: Record<string, number> = {};
  const afterPublish: AfterPublish = () => {
    const before = commits;
    return async () => {
      if (commits !== before) await relay.published(PUBLISH_WAIT_MS);
    };
  };
  // Every service answers the history of a patron or an item from its own store.
  for (const s of [...(parts.grpc ?? []), historyGrpc(definition.name, db, logger)]) server.addService(s.definition, counted(s.definition, s.implementation, served, afterPublish));
  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${config.grpcHost}:${config.grpcPort}`, credentials.server(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );

  const replies = new ReplyClient(credentials.client());
  const commands = serveCommands({
    nc,
    service: definition.name,
    prefix: config.subjectPrefix,
    handlers: repliedAfterPublish(parts.handlers, afterPublish, metrics),
    replies,
    logger,
    ready: () => postgres.ok(),
  });

  const housekeeping = startHousekeeping(db, { refusalRetentionDays: config.refusalRetentionDays ?? DEFAULT_REFUSAL_RETENTION_DAYS, intervalMs: HOUSEKEEPING_INTERVAL_MS, logger });
  const ops = await startOpsServer({
    host: config.opsHost,
    port: config.opsPort,
    registry,
    readiness: {
      postgres: () => postgres.ok(),
      nats: () => natsState.connected(),
      projections: () => projections.withinLag(config.projectionMaxLag ?? DEFAULT_MAX_PROJECTION_LAG),
    },
  });
  projections.register(ops.registry);

  const closers: Closer[] = [
    { name: "readiness", close: () => ops.setDraining(true) },
    { name: "commands", close: () => commands.drain() },
    { name: "grpc", close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) },
    { name: "consumers", close: () => Promise.all(consumers.map((c) => c.stop())) },
    { name: "relay", close: () => relay.stop() },
    { name: "parts", close: () => parts.close?.() },
    { name: "housekeeping", close: () => housekeeping.stop() },
    { name: "replies", close: () => replies.close() },
    { name: "nats", close: () => nc.drain() },
    { name: "postgres probe", close: () => postgres.stop() },
    { name: "postgres", close: () => db.destroy() },
    { name: "ops", close: () => ops.close() },
  ];
  logger.info({ grpc: `${config.grpcHost}:${grpcPort}`, ops: ops.url }, `${definition.name} service started`);
  return {
    name: definition.name,
    db,
    grpcAddress: `${config.grpcHost}:${grpcPort}`,
    ops,
    logger,
    relay,
    grpcCallsServed: () => ({ ...served }),
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

/** JetStream API timeout of the consumers' position questions. */
const POSITION_API_TIMEOUT_MS = 500;

/** Longest a reply waits for its command's events to reach the stream. */
const PUBLISH_WAIT_MS = 1_000;

/**
 * Taken when a handler starts; the function it returns waits, when anything
 * was committed meanwhile (by any handler), until the relay has published it.
 * A reply sent after that is seen by any service's barrier
 * ({@link PeerProjections.caughtUp}), whatever the kiosk does next. Past the
 * wait the reply goes anyway: the decision is
 * committed and saying so is never false.
 */
type AfterPublish = () => () => Promise<void>;

/** Each command handler timed and counted, and its reply held until the events it committed are published. */
function repliedAfterPublish<S extends ServiceName>(handlers: CommandHandlers<S>, afterPublish: AfterPublish, metrics: ServiceMetrics): CommandHandlers<S> {
  const wrapped = Object.entries(handlers).map(([name, handler]) => {
    const h = handler as (command: unknown, envelope: unknown) => Promise<unknown>;
    return [
      name,
      async (command: unknown, envelope: unknown) => {
        const published = afterPublish();
        const outcome = await metrics.command(name, () => h(command, envelope) as Promise<commands.Outcome>);
        await published();
        return outcome;
      },
    ];
  });
  return Object.fromEntries(wrapped) as CommandHandlers<S>;
}

/**
 * The implementation with each handler counting its calls into `served` under
 * its full path, and a unary call's answer held until the events it committed
 * are published (a trap decided at checkin is seen by the next checkout).
 */
function counted(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  served: Record<string, number>,
  afterPublish: AfterPublish,
) {
  return Object.fromEntries(
    Object.entries(implementation).map(([method, handler]) => {
      const path = definition[method]?.path ?? method;
      const unary = definition[method] !== undefined && !definition[method].requestStream && !definition[method].responseStream;
      const wrapped = (...args: unknown[]) => {
        served[path] = (served[path] ?? 0) + 1;
        if (unary && typeof args[1] === "function") {
          const published = afterPublish();
          const callback = args[1] as (...a: unknown[]) => void;
          args[1] = (...result: unknown[]) => void published().then(() => callback(...result));
        }
        return unary ? servedInSpan(path, args, handler as (...a: unknown[]) => unknown) : (handler as (...a: unknown[]) => unknown)(...args);
      };
      return [method, wrapped];
    }),
  ) as grpc.UntypedServiceImplementation;
}
