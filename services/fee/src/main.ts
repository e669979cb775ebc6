import { gracefulShutdown } from "@circulate/runtime";
import { serviceConfigFromEnv, startService } from "@circulate/service";
import { feeService } from "./service.js";
import { feeSettingsFromEnv } from "./settings.js";

// Composition root: configuration from the environment (fail fast), the service, shutdown on signals.
const config = serviceConfigFromEnv("fee");
const settings = feeSettingsFromEnv();
const service = await startService(feeService({ settings }), config);
gracefulShutdown(service.logger, [{ name: "fee service", close: () => service.stop() }]);
