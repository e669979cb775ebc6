/**
 * `@circulate/sip2-gateway/accounts`: what a staff console needs to manage terminal accounts at
 * run time, without the gateway's sockets, gRPC and metrics. Bucket names and the fleet's
 * entry shape are in `@circulate/contracts`.
 */
export { validateTerminalAccountEntry } from "./adapters/account-entry.js";
export type { AccountEntry } from "./domain/accounts.js";
export { PERMISSIONS } from "./domain/terminal.js";
