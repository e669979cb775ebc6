import { createLogger, gracefulShutdown } from "@circulate/runtime";
import { serviceConfigFromEnv, startService } from "@circulate/service";
import { patronOptionsFromEnv } from "./config.js";
import { patronService } from "./service.js";

// Composition root: configuration from the environment (fail fast), start, stop on signals.
const config = serviceConfigFromEnv("patron");
const options = patronOptionsFromEnv();
const logger = createLogger({ service: "patron", level: config.logLevel, pretty: config.prettyLogs });
try {
  const service = await startService(patronService(options), config, { logger });
  gracefulShutdown(logger, [{ name: "patron", close: () => service.stop() }]);
} catch (err) {
  logger.fatal({ err }, "patron service failed to start");
  process.exit(1);
}
