import { runServiceMain } from "@circulate/service";
import { feeService } from "./service.js";
import { feeSettings } from "./settings.js";

// Composition root: the settings (every problem named at once), then the service until SIGINT/SIGTERM.
await runServiceMain("fee", (env) => feeService({ settings: feeSettings(env) }));
