import type { FileAccount } from "@circulate/contracts";
import type { LoadedAccount } from "../domain/accounts.js";

/**
 * What the fleet bucket says of the accounts file's accounts, for a console to show them while
 * no kiosk uses them: each account as in force, without its password hash (nor anything it
 * could be guessed from: only whether one is required).
 */
export function fileAccountsOf(loaded: readonly LoadedAccount[]): FileAccount[] {
  return loaded.map(({ account: a }) => ({
    login: a.login,
    active: a.active,
    institutionId: a.institutionId,
    libraryName: a.libraryName,
    location: a.location,
    allowedNetworks: [...a.allowedNetworks],
    bindAddresses: [...a.bindAddresses],
    permissions: [...a.permissions].sort(),
    charset: a.charset,
    terminalPassword: a.terminalPassword,
    responseProfile: a.responseProfile.name,
    timeZone: a.timeZone,
  }));
}
