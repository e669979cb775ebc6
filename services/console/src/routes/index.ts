import type { ApiRoute } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { auditRoutes } from "./audit.routes.js";
import { historyRoutes } from "./history.routes.js";
import { importRoutes } from "./import.routes.js";
import { circulationRoutes } from "./patron.routes.js";
import { sessionRoutes } from "./session.routes.js";
import { staffActionRoutes } from "./staff-actions.routes.js";
import { staffRoutes } from "./staff.routes.js";
import { terminalRoutes } from "./terminal.routes.js";

/** Every route of the API, each with its access rule. */
export function apiRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [...sessionRoutes(deps), ...staffRoutes(deps), ...circulationRoutes(deps), ...historyRoutes(deps), ...staffActionRoutes(deps), ...auditRoutes(deps), ...terminalRoutes(deps), ...importRoutes(deps)];
}
