import type { ServiceName } from "@circulate/contracts";
import type { EventStoreDatabase } from "@circulate/eventstore";
import { createLogger, type EnvReader, gracefulShutdown, type Logger, readEnv, runMain, startTracing } from "@circulate/runtime";
import { type ServiceConfig, serviceConfig } from "./config.js";
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
  // Before the service: its first command is already traced.
  const tracing = await startTracing(config.tracing, logger);
  const running = await startService(definition, config, { logger });
  gracefulShutdown(logger, [
    { name: `${definition.name} service`, close: () => running.stop() },
    // Last: the spans of the commands drained above are flushed too.
    { name: "tracing", close: () => tracing.shutdown() },
  ]);
}

/**
 * A service process's whole composition root: the shared settings and the
 * service's own (`define` reads them from the same reader, so every problem
 * is named in one message and the process exits 78), then `serviceMain`.
 */
export async function runServiceMain<S extends ServiceName, DB extends EventStoreDatabase>(
  name: S,
  define: (env: EnvReader) => ServiceDefinition<S, DB>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await runMain(async () => {
    const e = readEnv(env);
    const config = serviceConfig(name, e);
    const definition = define(e);
    e.done();
    await serviceMain(definition, config);
  });
}
