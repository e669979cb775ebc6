import { createLogger } from "@circulate/runtime";
import { serviceMain } from "@circulate/service";
import { holdConfigFromEnv } from "./config.js";
import { holdService } from "./service.js";

// Composition root: configuration from the environment (fails fast, naming
// every bad variable), the service on the shared host (or `rebuild-projections`).
const config = holdConfigFromEnv();
const logger = createLogger({ service: "hold", level: config.service.logLevel, pretty: config.service.prettyLogs });
await serviceMain(holdService({ settings: config.settings, expirySweepMs: config.expirySweepMs }), config.service, process.argv.slice(2), logger);
