import { createLogger, gracefulShutdown, runMain, startTracing } from "@circulate/runtime";
import { gatewayConfigFromEnv } from "./config.js";
import { startGateway } from "./gateway.js";

/**
 * Composition root: configuration from the environment (fails fast, naming
 * every problem), the gateway, shutdown on SIGINT/SIGTERM; SIGHUP reloads the
 * accounts file.
 */
await runMain(async () => {
  const config = gatewayConfigFromEnv();
  const logger = createLogger({ service: "sip2-gateway", level: config.logLevel, pretty: config.prettyLogs });
  const tracing = await startTracing(config.tracing, logger);
  const gateway = await startGateway(config, { logger });
  gracefulShutdown(
    logger,
    [
      { name: "sip2 gateway", close: () => gateway.stop() },
      // Last: the spans of the requests answered while draining are flushed too.
      { name: "tracing", close: () => tracing.shutdown() },
    ],
    config.shutdownGraceMs,
  );
});
