export { type Backing, MissingBackend, natsBacking, postgresBacking } from "./backends.js";
export { resetNamespace } from "./demo-reset.js";
export { chooseLibrary, DEMO_NAMESPACE, type LibraryChoice } from "./library.js";
export { gatewayPlan, importPlan, type Namespace, OWN_NAMESPACE, type ProcessSpec, SERVICES, type StackSettings, serviceDatabaseUrl, servicePlan } from "./plan.js";
export { endpointOf, portOpen, waitForPort } from "./ports.js";
export { type Supervised, Supervisor, type SupervisorOptions } from "./processes.js";
export { type BackoffPolicy, type ChildState, DEFAULT_BACKOFF, restartDelayMs } from "./supervisor.js";
