import { gracefulShutdown } from "@circulate/runtime";
import { serviceConfigFromEnv, startService } from "@circulate/service";
import { itemService } from "./service.js";

// Composition root: configuration from the environment (fails fast, naming
// every problem), the service, and a shutdown that drains before closing.
const config = serviceConfigFromEnv("item");
const service = await startService(itemService(), config);
gracefulShutdown(service.logger, [{ name: "item service", close: () => service.stop() }]);
