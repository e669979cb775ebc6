import { runServiceMain } from "@circulate/service";
import { holdService } from "./service.js";
import { holdSettings } from "./settings.js";

// Composition root: the settings (every problem named at once, exit 78), then
// the service until SIGINT/SIGTERM, or `rebuild-projections`.
await runServiceMain("hold", (env) => holdService(holdSettings(env)));
