import { type LoadedAccount, mayConnectFrom } from "../domain/accounts.js";
import type { TerminalAccount } from "../domain/terminal.js";

/**
 * The accounts in force. A reload swaps the whole set: sessions keep the
 * account object they logged in (or were bound) with, so a reload changes new
 * logins only and never alters a live connection; only switching an account
 * off (`active: false`) closes its connections (see the gateway).
 */
export class AccountRegistry {
  #byLogin = new Map<string, LoadedAccount>();
  #all: readonly LoadedAccount[] = [];

  constructor(accounts: readonly LoadedAccount[] = []) {
    this.replace(accounts);
  }

  replace(accounts: readonly LoadedAccount[]): void {
    this.#all = accounts;
    this.#byLogin = new Map(accounts.map((a) => [a.account.login, a]));
  }

  get size(): number {
    return this.#all.length;
  }

  get(login: string): LoadedAccount | undefined {
    return this.#byLogin.get(login);
  }

  /** Logins of the accounts switched off. */
  inactive(): ReadonlySet<string> {
    return new Set(this.#all.filter((a) => !a.account.active).map((a) => a.account.login));
  }

  /** The account a connection from `address` is bound to without a 93, if any. */
  boundTo(address: string | undefined): TerminalAccount | undefined {
    if (!address) return undefined;
    const hit = this.#all.find((a) => a.account.active && a.bind.contains(address) && mayConnectFrom(a, address));
    return hit?.account;
  }
}
