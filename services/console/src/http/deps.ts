import type { AuditLog } from "../audit.js";
import type { ImportJobs } from "../imports/import-jobs.js";
import type { ConsoleDb } from "../db.js";
import type { ServiceClients } from "../service-clients.js";
import type { Sessions } from "../sessions.js";
import type { FleetWatch } from "../terminals/fleet-watch.js";
import type { SessionPolicy } from "../settings.js";
import type { LoginThrottle } from "../throttle.js";

/** What the routes work with; the process (console.ts) builds it. */
export interface ConsoleDeps {
  readonly db: ConsoleDb;
  readonly sessions: Sessions;
  readonly sessionPolicy: SessionPolicy;
  readonly audit: AuditLog;
  readonly services: ServiceClients;
  readonly throttle: LoginThrottle;
  readonly secureCookies: boolean;
  readonly allowedOrigins: readonly string[];
  /** Proxies whose X-Forwarded-* headers are believed; none = the socket's address and protocol. */
  readonly trustedProxies: readonly string[];
  readonly https?: { key: Buffer; cert: Buffer } | undefined;
  readonly terminals: TerminalsDeps;
  /** Imports started from the console (one at a time). */
  readonly imports: ImportJobs;
  /** The built web console (index.html and assets) served at `/`; undefined = none (API only). */
  readonly webDir?: string | undefined;
}

export interface TerminalsDeps {
  readonly watch: FleetWatch;
  /** A connected terminal with no request for longer than this shows as silent. */
  readonly silentMs: number;
  /** An open fleet stream gets the view at least this often. */
  readonly pushMs: number;
  /** Ends each open fleet stream (run when the console stops, before the HTTP server closes). */
  readonly streams: Set<() => void>;
}
