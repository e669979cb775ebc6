import { terminalAccountsBucketName } from "@circulate/contracts";
import { type Logger, whileJetStreamSettles } from "@circulate/runtime";
import { type KV, type KvEntry, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { AccountSources } from "../app/account-sources.js";
import type { LoadedAccount } from "../domain/accounts.js";
import { checkAccountEntryText } from "./account-entry.js";

export interface AccountsKvOptions {
  sources: AccountSources;
  /** Closes the open connections of these logins (switched off, or gone from the bucket). */
  close: (logins: ReadonlySet<string>) => void;
  logger: Logger;
  replicas?: number;
  /** Longest wait at start for the bucket's current entries before serving without them. */
  initialMs?: number;
  /** How often the bucket is checked for having been deleted and made again (default 30 s). */
  recheckMs?: number;
}

/**
 * Follows `<STREAM_PREFIX>_TERMINAL_ACCOUNTS` (key = login, value = one account entry as JSON)
 * into the accounts in force. Every replica watches it, so a change reaches all of them without
 * a restart. An entry that does not validate is logged with its problems and ignored: the
 * version in force before (if any) stays. A watch that ends while the gateway runs is opened
 * again and its first pass replaces what was known. So is one whose bucket was deleted and made
 * again: its watch would go on waiting for the old stream's next sequence and miss the new
 * entries, so the stream's creation time is checked every `recheckMs`.
 */
export class KvAccountsWatch {
  #stopped = false;
  #watch: { stop(): void } | undefined;
  #done: Promise<void> = Promise.resolve();

  private constructor(
    private readonly kv: KV,
    private readonly options: AccountsKvOptions,
  ) {}

  static async open(nc: NatsConnection, streamPrefix: string, options: AccountsKvOptions): Promise<KvAccountsWatch> {
    // Kept history: an operator can see (nats kv history) what an account was before a bad edit.
    const kv = await whileJetStreamSettles(() =>
      new Kvm(nc).create(terminalAccountsBucketName(streamPrefix), { history: 5, replicas: options.replicas ?? 1 }),
    );
    const watch = new KvAccountsWatch(kv, options);
    let caughtUp!: () => void;
    const initial = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    watch.#done = watch.#run(caughtUp);
    const wait = options.initialMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), wait);
    });
    if (await Promise.race([initial.then(() => false), late])) {
      options.logger.warn({ waitedMs: wait }, "terminal accounts in the KV bucket not read yet; serving the file's accounts meanwhile");
    }
    clearTimeout(timer);
    return watch;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watch?.stop();
    await this.#done;
  }

  async #run(caughtUp: () => void): Promise<void> {
    for (let pause = 500; !this.#stopped; pause = Math.min(pause * 2, 10_000)) {
      try {
        await this.#follow(caughtUp);
        pause = 500;
      } catch (err) {
        if (!this.#stopped) this.options.logger.warn({ err }, "terminal accounts watch failed; watching again");
      }
      if (!this.#stopped) await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** One watch: its first pass as a whole, then every change as it comes. */
  async #follow(caughtUp: () => void): Promise<void> {
    const { values, streamInfo } = await whileJetStreamSettles(() => this.kv.status());
    const watch = await this.kv.watch();
    this.#watch = watch;
    if (this.#stopped) watch.stop();
    const recheck = setInterval(() => {
      this.kv.status().then(
        (now) => {
          if (now.streamInfo.created === streamInfo.created) return;
          this.options.logger.warn("terminal accounts bucket was made again; reading it afresh");
          watch.stop();
        },
        // Gone (not made again yet) or NATS away: nothing to read afresh yet.
        () => {},
      );
    }, this.options.recheckMs ?? 30_000);
    recheck.unref();
    let first: Map<string, LoadedAccount> | undefined = new Map();
    const finishFirst = () => {
      if (!first) return;
      this.#close(this.options.sources.replaceKv(first));
      this.options.logger.info({ accounts: this.options.sources.kvAccounts }, "terminal accounts read from the KV bucket");
      first = undefined;
      caughtUp();
    };
    if (values === 0) finishFirst();
    try {
      for await (const entry of watch) {
        this.#take(entry, first);
        if (first && (entry.delta === 0 || entry.isUpdate)) finishFirst();
      }
    } finally {
      clearInterval(recheck);
    }
  }

  #take(entry: KvEntry, first: Map<string, LoadedAccount> | undefined): void {
    const { sources, logger } = this.options;
    const login = entry.key;
    if (entry.operation !== "PUT") {
      if (first) first.delete(login);
      else {
        logger.info({ terminal: login }, "terminal account removed from the KV bucket");
        this.#close(sources.setKv(login, undefined));
      }
      return;
    }
    const checked = checkAccountEntryText(login, entry.string());
    if (!checked.ok) {
      // Never the value: it holds the password hash.
      logger.error({ terminal: login, revision: entry.revision, problems: checked.problems }, "terminal account in the KV bucket not applied");
      const before = sources.kvAccount(login);
      if (first && before) first.set(login, before);
      return;
    }
    if (first) first.set(login, checked.loaded);
    else {
      logger.info({ terminal: login, revision: entry.revision }, "terminal account applied from the KV bucket");
      this.#close(sources.setKv(login, checked.loaded));
    }
  }

  #close(logins: ReadonlySet<string>): void {
    if (logins.size > 0) this.options.close(logins);
  }
}
