/** The five services, in the order they start (peers answer before they are asked). */
export const SERVICES = ["patron", "item", "hold", "fee", "loan"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Ops (health) ports the services listen on by default; see libs/service SERVICE_PORTS. */
const OPS_PORTS: Record<ServiceName, number> = { patron: 9101, item: 9102, loan: 9103, fee: 9104, hold: 9105 };

/** One process of the stack: how to run it and how to know it is ready. */
export interface ProcessSpec {
  name: string;
  /** Script run with node, relative to the repository root. */
  entry: string;
  args: readonly string[];
  env: Record<string, string>;
  /** GET http://127.0.0.1:<port>/readyz answers 200 once it can take work. */
  readyPort: number;
}

/** Where one library lives: its databases and its corner of NATS (see demo.ts). */
export interface Namespace {
  /** Each service's database is `<databasePrefix><service>`. */
  databasePrefix: string;
  /** NATS subjects: `<subjectPrefix>.cmd.…`, `<subjectPrefix>.evt.…`. */
  subjectPrefix: string;
  /** JetStream streams and buckets: `<streamPrefix>_<SERVICE>_EVENTS`, `<streamPrefix>_TERMINALS`. */
  streamPrefix: string;
}

/** The services' own defaults: a user's library. */
export const OWN_NAMESPACE: Namespace = { databasePrefix: "circulate_", subjectPrefix: "circ", streamPrefix: "CIRC" };

export interface StackSettings {
  /** Admin URL of the Postgres server; each service gets its own database next to it. */
  postgresUrl: string;
  natsUrl: string;
  logLevel: string;
  namespace: Namespace;
}

/** The database URL of one service: the admin URL with the database `<databasePrefix><service>`. */
export function serviceDatabaseUrl(adminUrl: string, service: ServiceName, databasePrefix = OWN_NAMESPACE.databasePrefix): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databasePrefix}${service}`;
  return url.toString();
}

/** The services' processes, with the environment each one reads (see each service's README). */
export function servicePlan(settings: StackSettings): ProcessSpec[] {
  return SERVICES.map((service) => ({
    name: service,
    entry: `services/${service}/src/main.ts`,
    args: [],
    env: {
      [`${service.toUpperCase()}_POSTGRES_URL`]: serviceDatabaseUrl(settings.postgresUrl, service, settings.namespace.databasePrefix),
      CREATE_DATABASES: "true",
      NATS_URL: settings.natsUrl,
      SUBJECT_PREFIX: settings.namespace.subjectPrefix,
      STREAM_PREFIX: settings.namespace.streamPrefix,
      LOG_LEVEL: settings.logLevel,
    },
    readyPort: OPS_PORTS[service],
  }));
}

/** The import command loading a library (a directory or a JSON file, docs/import.md) into the running services. */
export function importPlan(settings: StackSettings, directory: string): ProcessSpec {
  return { name: "import", entry: "libs/import/src/main.ts", args: [directory], env: { LOG_LEVEL: settings.logLevel }, readyPort: 0 };
}

/**
 * The staff console's HTTP API on loopback port 7110, its own database next to
 * the services' (`<databasePrefix>console`), its events in the namespace's streams.
 * It reaches the services on their default gRPC ports, where `servicePlan` runs them.
 */
export function consolePlan(settings: StackSettings): ProcessSpec {
  const url = new URL(settings.postgresUrl);
  url.pathname = `/${settings.namespace.databasePrefix}console`;
  return {
    name: "console",
    entry: "services/console/src/main.ts",
    args: [],
    env: {
      CONSOLE_POSTGRES_URL: url.toString(),
      CREATE_DATABASES: "true",
      CONSOLE_HTTP_HOST: "127.0.0.1",
      CONSOLE_HTTP_PORT: "7110",
      NATS_URL: settings.natsUrl,
      SUBJECT_PREFIX: settings.namespace.subjectPrefix,
      STREAM_PREFIX: settings.namespace.streamPrefix,
      LOG_LEVEL: settings.logLevel,
    },
    readyPort: 9110,
  };
}

/** The SIP2 gateway with the demo terminal accounts, on loopback (a development start). */
export function gatewayPlan(settings: StackSettings): ProcessSpec {
  return {
    name: "sip2-gateway",
    entry: "services/sip2-gateway/src/main.ts",
    args: [],
    env: {
      SIP2_ACCOUNTS_FILE: "infra/demo/accounts.yaml",
      SIP2_HOST: "127.0.0.1",
      SIP2_PORT: "6001",
      NATS_URL: settings.natsUrl,
      SUBJECT_PREFIX: settings.namespace.subjectPrefix,
      STREAM_PREFIX: settings.namespace.streamPrefix,
      LOG_LEVEL: settings.logLevel,
    },
    readyPort: 9100,
  };
}
