import { runServiceMain } from "@circulate/service";
import { loanService } from "./service.js";
import { loanSettings } from "./settings.js";

// Composition root: the settings (every problem named at once), then the service until SIGINT/SIGTERM.
await runServiceMain("loan", (env) => loanService(loanSettings(env)));
