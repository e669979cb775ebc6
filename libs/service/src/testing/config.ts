import type { ServiceName } from "@circulate/contracts";
import type { ServiceConfig } from "../config.js";

/**
 * A service's configuration for a test: its own database and NATS corner, any
 * free ports, silent logs; peers a test does not name are unreachable ("").
 */
export function testServiceConfig(options: {
  database: { url: string };
  nats: { url: string; subjectPrefix: string; streamPrefix: string };
  peers?: Partial<Record<ServiceName, string>>;
  projectionMaxLag?: number;
}): ServiceConfig {
  return {
    postgresUrl: options.database.url,
    createDatabase: false,
    natsUrl: options.nats.url,
    subjectPrefix: options.nats.subjectPrefix,
    streamPrefix: options.nats.streamPrefix,
    grpcHost: "127.0.0.1",
    grpcPort: 0,
    opsHost: "127.0.0.1",
    opsPort: 0,
    peers: { patron: "", item: "", loan: "", fee: "", hold: "", ...options.peers },
    logLevel: "silent",
    prettyLogs: false,
    ...(options.projectionMaxLag !== undefined ? { projectionMaxLag: options.projectionMaxLag } : {}),
  };
}
