import {
  type FileAccounts,
  fileAccountsGateway,
  fleetBucketName,
  parseFileAccounts,
  parseTerminalState,
  type TerminalState,
  terminalAccountsBucketName,
} from "@circulate/contracts";
import { type Logger, whileJetStreamSettles } from "@circulate/runtime";
import { type KV, type KvWatchEntry, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { validateTerminalAccountEntry } from "@circulate/sip2-gateway/accounts";
import { type AccountRecord, type FleetSnapshot, lastActivity } from "./terminal-view.js";

/**
 * Follows one KV bucket: every watch's first pass replaces what was known as a whole (so a
 * reconnect never shows a half-read fleet), then each change as it comes. A watch that ends is
 * opened again; so is one whose bucket was deleted and made again, noticed by the stream's
 * creation time (its old watch would wait for the old stream's next sequence).
 */
class BucketFollower {
  #stopped = false;
  #watch: { stop(): void } | undefined;
  #wake: (() => void) | undefined;
  #missingSaid = false;
  readonly done: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly open: () => Promise<KV>,
    private readonly replace: (entries: KvWatchEntry[]) => void,
    private readonly apply: (entry: KvWatchEntry) => void,
    private readonly logger: Logger,
  ) {
    this.done = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watch?.stop();
    this.#wake?.();
    await this.done;
  }

  async #run(): Promise<void> {
    for (let pause = 500; !this.#stopped; pause = Math.min(pause * 2, 5_000)) {
      try {
        await this.#follow();
        pause = 500;
      } catch (err) {
        if (!this.#stopped && !this.#missingSaid) this.logger.info({ err, bucket: this.name }, "KV bucket not readable yet; trying again");
        this.#missingSaid = true;
      }
      if (!this.#stopped) {
        await new Promise<void>((r) => {
          this.#wake = r;
          setTimeout(r, pause).unref();
        });
      }
    }
  }

  async #follow(): Promise<void> {
    const kv = await this.open();
    // Fails while the bucket does not exist (the fleet bucket is the gateways' to make).
    const { values, streamInfo } = await kv.status();
    const watch = await kv.watch();
    this.#watch = watch;
    if (this.#stopped) watch.stop();
    this.#missingSaid = false;
    const recheck = setInterval(() => {
      kv.status().then(
        (now) => now.streamInfo.created !== streamInfo.created && watch.stop(),
        () => watch.stop(),
      );
    }, 10_000);
    recheck.unref();
    let first: KvWatchEntry[] | undefined = [];
    const finishFirst = () => {
      if (first) this.replace(first);
      first = undefined;
    };
    if (values === 0) finishFirst();
    try {
      for await (const entry of watch) {
        if (first) first.push(entry);
        else this.apply(entry);
        if (first && (entry.delta === 0 || entry.isUpdate)) finishFirst();
      }
    } finally {
      clearInterval(recheck);
    }
  }
}

const removed = (e: KvWatchEntry) => e.operation === "DEL" || e.operation === "PURGE";

/**
 * The console's view of the terminal fleet: the accounts bucket (which it also writes) and the
 * fleet bucket the gateways write (their connections and their accounts files' accounts), kept
 * in memory and followed with KV watches, so a change reaches the page without polling.
 * Listeners are told after every change.
 */
export class FleetWatch implements FleetSnapshot {
  readonly accounts = new Map<string, AccountRecord>();
  readonly connections = new Map<string, TerminalState>();
  readonly fileAccounts = new Map<string, FileAccounts>();
  readonly lastSeen = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  #followers: BucketFollower[] = [];
  #prune: NodeJS.Timeout | undefined;

  private constructor(readonly accountsKv: KV) {}

  /**
   * Opens the accounts bucket (made with the gateways' settings when missing, so the console
   * may start first) and starts following both buckets.
   */
  static async start(nc: NatsConnection, streamPrefix: string, options: { replicas: number; logger: Logger }): Promise<FleetWatch> {
    const kvm = new Kvm(nc);
    const accountsName = terminalAccountsBucketName(streamPrefix);
    const fleetName = fleetBucketName(streamPrefix);
    const accountsKv = await whileJetStreamSettles(() => kvm.create(accountsName, { history: 5, replicas: options.replicas }));
    const watch = new FleetWatch(accountsKv);
    watch.#followers = [
      new BucketFollower(
        accountsName,
        async () => accountsKv,
        (entries) => {
          watch.accounts.clear();
          for (const e of entries) watch.#account(e);
          watch.#changed();
        },
        (e) => {
          watch.#account(e);
          watch.#changed();
        },
        options.logger,
      ),
      new BucketFollower(
        fleetName,
        () => kvm.open(fleetName),
        (entries) => {
          watch.connections.clear();
          watch.fileAccounts.clear();
          for (const e of entries) watch.#connection(e);
          watch.#changed();
        },
        (e) => {
          watch.#connection(e);
          watch.#changed();
        },
        options.logger,
      ),
    ];
    // NATS tells watchers nothing when an entry ages out: forget expired ones here, or a
    // console running for months would keep every connection any kiosk ever made.
    watch.#prune = setInterval(() => {
      const now = Date.now();
      for (const [key, s] of watch.connections) if (s.expiresAt <= now) watch.connections.delete(key);
      for (const [gatewayId, f] of watch.fileAccounts) if (f.expiresAt <= now) watch.fileAccounts.delete(gatewayId);
    }, 60_000);
    watch.#prune.unref();
    return watch;
  }

  /** Calls `listener` after every change; returns what stops it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async stop(): Promise<void> {
    clearInterval(this.#prune);
    this.#listeners.clear();
    await Promise.all(this.#followers.map((f) => f.stop()));
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }

  #account(e: KvWatchEntry): void {
    if (removed(e)) {
      this.accounts.delete(e.key);
      return;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(e.string());
    } catch {
      entry = undefined;
    }
    const problems = validateTerminalAccountEntry(e.key, entry);
    const object = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
    this.accounts.set(e.key, { login: e.key, entry: object, revision: e.revision, problems });
  }

  #connection(e: KvWatchEntry): void {
    const fileOf = fileAccountsGateway(e.key);
    if (fileOf !== undefined) {
      const file = removed(e) ? undefined : parseFileAccounts(e.value);
      if (file) this.fileAccounts.set(fileOf, file);
      else this.fileAccounts.delete(fileOf);
      return;
    }
    if (removed(e)) {
      this.connections.delete(e.key);
      return;
    }
    const state = parseTerminalState(e.value);
    if (!state) return;
    this.connections.set(e.key, state);
    if (state.login !== null) {
      const at = Math.max(lastActivity(state), state.closedAt ?? 0);
      if (at > (this.lastSeen.get(state.login) ?? 0)) this.lastSeen.set(state.login, at);
    }
  }
}
