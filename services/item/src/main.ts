import { runServiceMain } from "@circulate/service";
import { itemService } from "./service.js";

// Composition root: the shared settings (every problem named at once), then the service until SIGINT/SIGTERM.
await runServiceMain("item", () => itemService());
