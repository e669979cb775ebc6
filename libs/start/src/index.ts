export { type Backing, MissingBackend, natsBacking, postgresBacking } from "./backends.js";
export { type ProcessSpec, SERVICES, type StackSettings, serviceDatabaseUrl, servicePlan } from "./plan.js";
export { endpointOf, portOpen, waitForPort } from "./ports.js";
export { Supervisor } from "./processes.js";
