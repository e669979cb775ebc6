import type { Logger } from "pino";
import type { LoadedAccount } from "../domain/accounts.js";
import type { AccountRegistry } from "./accounts.js";

/**
 * The accounts in force, from two places: the accounts file and the accounts managed at run
 * time (the KV bucket). The file wins: a KV entry whose login the file has is ignored, as is
 * one that would bind a source address already bound (by the file, or by a KV entry whose
 * login sorts first). Each change is applied to the registry at once and answers which
 * logins' open connections must close: those switched off (wherever they come from) and
 * those that were served from the KV and are no longer there.
 */
export class AccountSources {
  #file: readonly LoadedAccount[] = [];
  readonly #kv = new Map<string, LoadedAccount>();
  /** KV logins in force after the last apply. */
  #fromKv = new Set<string>();
  /** Why each ignored KV login is ignored, as last logged: said once, not at every change. */
  #ignored = new Map<string, string>();

  constructor(
    private readonly registry: AccountRegistry,
    private readonly logger: Logger,
  ) {}

  get kvAccounts(): number {
    return this.#fromKv.size;
  }

  /** The KV entry in force for `login` (valid, maybe overridden by the file). */
  kvAccount(login: string): LoadedAccount | undefined {
    return this.#kv.get(login);
  }

  setFile(accounts: readonly LoadedAccount[]): ReadonlySet<string> {
    this.#file = accounts;
    return this.#apply();
  }

  /** A KV entry that validated (`undefined`: the entry was deleted). */
  setKv(login: string, loaded: LoadedAccount | undefined): ReadonlySet<string> {
    if (loaded) this.#kv.set(login, loaded);
    else this.#kv.delete(login);
    return this.#apply();
  }

  /** Every KV entry at once (the watch's first pass): one apply, not one per entry. */
  replaceKv(entries: ReadonlyMap<string, LoadedAccount>): ReadonlySet<string> {
    this.#kv.clear();
    for (const [login, loaded] of entries) this.#kv.set(login, loaded);
    return this.#apply();
  }

  #apply(): ReadonlySet<string> {
    const merged = [...this.#file];
    const logins = new Set(merged.map((a) => a.account.login));
    const bound = new Map<string, string>();
    for (const { account } of merged) for (const b of account.bindAddresses) bound.set(b.trim(), account.login);
    const fromKv = new Set<string>();
    const ignored = new Map<string, string>();
    for (const login of [...this.#kv.keys()].sort()) {
      const loaded = this.#kv.get(login)!;
      if (logins.has(login)) {
        ignored.set(login, "the accounts file has this login; the file wins");
        continue;
      }
      const clash = loaded.account.bindAddresses.find((b) => bound.has(b.trim()));
      if (clash !== undefined) {
        ignored.set(login, `bind address ${clash} is also bound to ${bound.get(clash.trim())}`);
        continue;
      }
      for (const b of loaded.account.bindAddresses) bound.set(b.trim(), login);
      merged.push(loaded);
      logins.add(login);
      fromKv.add(login);
    }
    for (const [login, reason] of ignored) {
      if (this.#ignored.get(login) !== reason) this.logger.warn({ terminal: login, reason }, "terminal account in the KV bucket ignored");
    }
    this.#ignored = ignored;
    this.registry.replace(merged);
    const closing = new Set(this.registry.inactive());
    for (const login of this.#fromKv) if (!this.registry.get(login)) closing.add(login);
    this.#fromKv = fromKv;
    return closing;
  }
}
