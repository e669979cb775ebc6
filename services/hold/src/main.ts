import { createLogger, gracefulShutdown } from "@circulate/runtime";
import { startService } from "@circulate/service";
import { holdConfigFromEnv } from "./config.js";
import { holdService } from "./service.js";

// Composition root: configuration from the environment (fails fast, naming
// every bad variable), the service started, a graceful shutdown on SIGTERM/SIGINT.
const config = holdConfigFromEnv();
const logger = createLogger({ service: "hold", level: config.service.logLevel, pretty: config.service.prettyLogs });
const running = await startService(holdService({ settings: config.settings, expirySweepMs: config.expirySweepMs }), config.service, { logger });
gracefulShutdown(logger, [{ name: "hold service", close: () => running.stop() }]);
