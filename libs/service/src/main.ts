import type { ServiceName } from "@circulate/contracts";
import type { EventStoreDatabase } from "@circulate/eventstore";
import { createLogger, gracefulShutdown, type Logger } from "@circulate/runtime";
import type { ServiceConfig } from "./config.js";
import { type ServiceDefinition, startService } from "./host.js";
import { rebuildProjections } from "./rebuild.js";

/**
 * What a service's process does, from its arguments: with none it runs until
 * SIGINT/SIGTERM; `rebuild-projections [consumer…]` empties its copies of
 * peers' facts so the next start builds them again from the streams, and exits.
 */
export async function serviceMain<S extends ServiceName, DB extends EventStoreDatabase>(
  definition: ServiceDefinition<S, DB>,
  config: ServiceConfig,
  argv: readonly string[] = process.argv.slice(2),
  logger: Logger = createLogger({ service: definition.name, level: config.logLevel, pretty: config.prettyLogs }),
): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "rebuild-projections") {
    const rebuilt = await rebuildProjections(definition.projections ?? [], config, rest);
    logger.info({ rebuilt }, "projections emptied; the next start builds them again from the streams");
    return;
  }
  if (command !== undefined) throw new Error(`unknown command ${JSON.stringify(command)}; known: rebuild-projections`);
  const running = await startService(definition, config, { logger });
  gracefulShutdown(logger, [{ name: `${definition.name} service`, close: () => running.stop() }]);
}
