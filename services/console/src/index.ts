export { addStaff, ADD_STAFF_USAGE } from "./add-staff.js";
export { CONSOLE_EVENT_TYPES, type ConsoleEvent } from "./audit.js";
export { consoleStreamName, consoleSubject, type RunningConsole, startConsole } from "./console.js";
export { ROLES, type Role } from "./db.js";
export { type ConsoleConfig, consoleConfigFromEnv, consoleSettings, DEFAULT_HTTP_PORT, DEFAULT_OPS_PORT } from "./settings.js";
