import { isTimeZone } from "@circulate/domain";
import { ConfigError, createLogger, gracefulShutdown, readEnv } from "@circulate/runtime";
import { serviceConfigFromEnv, startService } from "@circulate/service";
import { loanService } from "./service.js";

/**
 * Composition root: configuration from the environment (fails fast, naming
 * every problem), the service on the shared host, shutdown on SIGINT/SIGTERM.
 */
const config = serviceConfigFromEnv("loan");
const env = readEnv();
const defaultTimeZone = env.string("LOAN_DEFAULT_TIME_ZONE", "UTC");
env.done();
if (!isTimeZone(defaultTimeZone)) throw new ConfigError([`LOAN_DEFAULT_TIME_ZONE: "${defaultTimeZone}" is not an IANA time zone`]);

const logger = createLogger({ service: "loan", level: config.logLevel, pretty: config.prettyLogs });
const running = await startService(loanService({ defaultTimeZone }), config, { logger });
gracefulShutdown(logger, [{ name: "loan service", close: () => running.stop() }]);
