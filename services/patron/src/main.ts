import { runServiceMain } from "@circulate/service";
import { patronService } from "./service.js";
import { patronSettings } from "./settings.js";

// Composition root: the settings (every problem named at once), then the service until SIGINT/SIGTERM.
await runServiceMain("patron", (env) => patronService(patronSettings(env)));
