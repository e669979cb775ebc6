export { withAdmin, withDatabase } from "./admin.js";
export { type Backend, canConnect, resolveNats, resolvePostgres } from "./backends.js";
export { backends, createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "./isolation.js";
export { createdAt, isStale, newRunId, uniqueName } from "./names.js";
export { freePort } from "./ports.js";
export { blockedOnLock } from "./locks.js";
export { type OtlpCollector, type OtlpRequest, otlpCollector } from "./otlp.js";
