export { AccountRegistry } from "./app/accounts.js";
export { hashPassword, verifyPassword } from "./app/passwords.js";
export { parseAccounts, loadAccountsFile } from "./adapters/accounts-file.js";
export { type GatewayConfig, gatewayConfigFromEnv } from "./config.js";
export { type RunningGateway, startGateway } from "./gateway.js";
export type { TerminalAccount, TerminalContext, Permission } from "./domain/terminal.js";
export { validateTerminalAccountEntry } from "./adapters/account-entry.js";
export type { AccountEntry } from "./domain/accounts.js";
