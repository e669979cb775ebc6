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

export interface StackSettings {
  /** Admin URL of the Postgres server; each service gets its own database next to it. */
  postgresUrl: string;
  natsUrl: string;
  logLevel: string;
}

/** The database URL of one service: the admin URL with the database `circulate_<service>`. */
export function serviceDatabaseUrl(adminUrl: string, service: ServiceName): string {
  const url = new URL(adminUrl);
  url.pathname = `/circulate_${service}`;
  return url.toString();
}

/** The services' processes, with the environment each one reads (see each service's README). */
export function servicePlan(settings: StackSettings): ProcessSpec[] {
  return SERVICES.map((service) => ({
    name: service,
    entry: `services/${service}/src/main.ts`,
    args: [],
    env: {
      [`${service.toUpperCase()}_POSTGRES_URL`]: serviceDatabaseUrl(settings.postgresUrl, service),
      CREATE_DATABASES: "true",
      NATS_URL: settings.natsUrl,
      LOG_LEVEL: settings.logLevel,
    },
    readyPort: OPS_PORTS[service],
  }));
}

/** The import command loading a library directory (docs/import.md) into the running services. */
export function importPlan(settings: StackSettings, directory: string): ProcessSpec {
  return { name: "import", entry: "libs/import/src/main.ts", args: [directory], env: { LOG_LEVEL: settings.logLevel }, readyPort: 0 };
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
      LOG_LEVEL: settings.logLevel,
    },
    readyPort: 9100,
  };
}
