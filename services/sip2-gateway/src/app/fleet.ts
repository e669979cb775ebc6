import { FILE_ACCOUNTS_VERSION, type FileAccount, type FileAccounts, fileAccountsKey, TERMINAL_STATE_VERSION, type TerminalState, terminalStateKey } from "@circulate/contracts";
import type { Logger } from "pino";
import type { TerminalAccount } from "../domain/terminal.js";
import type { RequestOutcome } from "./ports.js";
import { ActivityWindow, type MinuteSummary, sameSummary } from "./terminal-activity.js";

/** Where the fleet is published (the KV bucket). */
export interface FleetStore {
  /** How long the store keeps an entry that is not written again. */
  readonly maxAgeMs: number;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a session tells about its connection. */
export interface TerminalObserver {
  account(account: TerminalAccount, location: string, by: "login" | "binding", at: number): void;
  status(code: string, at: number): void;
  answered(message: string, outcome: RequestOutcome, at: number, latencyMs: number): void;
  closed(at: number): void;
}

export const NO_OBSERVER: TerminalObserver = { account() {}, status() {}, answered() {}, closed() {} };

export interface ConnectionInfo {
  listener: "tcp" | "tls";
  remoteAddress: string | undefined;
  /** The negotiated protocol; undefined on plain TCP. */
  tlsProtocol?: string | null;
}

export interface FleetOptions {
  gatewayId: string;
  /** Tick: a connection with news is written at most this often. */
  writeMs: number;
  /** Every live connection is written at least this often, so the store keeps it. */
  refreshMs: number;
  logger: Logger;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One connection's entry and what is needed to decide when to write it again. */
class LiveTerminal implements TerminalObserver {
  readonly window = new ActivityWindow();
  readonly state: Mutable<Omit<TerminalState, "lastMinute" | "updatedAt" | "expiresAt">>;
  dirty = false;
  lastWrittenAt = 0;
  lastSummary: MinuteSummary | undefined;

  constructor(
    private readonly fleet: Fleet,
    readonly key: string,
    base: { gatewayId: string; connectionId: string },
    info: ConnectionInfo,
    now: number,
  ) {
    this.state = {
      v: TERMINAL_STATE_VERSION,
      ...base,
      state: "connected",
      login: null,
      authenticatedBy: null,
      institution: null,
      location: null,
      clientAddress: info.remoteAddress ?? null,
      listener: info.listener,
      tls: info.listener === "tls" ? { protocol: info.tlsProtocol ?? null } : null,
      connectedAt: now,
      loggedInAt: null,
      lastRequestAt: null,
      scStatus: null,
      closedAt: null,
    };
  }

  account(account: TerminalAccount, location: string, by: "login" | "binding", at: number): void {
    Object.assign(this.state, { login: account.login, authenticatedBy: by, institution: account.institutionId, location, loggedInAt: at });
    this.fleet.writeNow(this, at);
  }

  status(code: string, at: number): void {
    const n = Number(code);
    if (!Number.isInteger(n) || n < 0) return;
    const changed = this.state.scStatus?.code !== n;
    this.state.scStatus = { code: n, at };
    // A kiosk polling 99 every few seconds must not write every time; a new status goes out at once.
    if (changed) this.fleet.writeNow(this, at);
    else this.dirty = true;
  }

  answered(message: string, outcome: RequestOutcome, at: number, latencyMs: number): void {
    this.state.lastRequestAt = at;
    this.window.record(at, message, outcome, latencyMs);
    this.dirty = true;
  }

  closed(at: number): void {
    this.fleet.close(this, at);
  }
}

/**
 * This gateway's connections, published to the fleet store: at once on connect, login (or
 * binding), a new 99 status and close; otherwise at most every `writeMs` while requests flow,
 * when the last minute's figures change as it slides, and every `refreshMs` regardless, so an
 * entry outlives the store's max age only while its gateway is alive. Never one write per request.
 * Also the accounts of its accounts file, one entry written when given and every `refreshMs`.
 */
export class Fleet {
  readonly #live = new Map<string, LiveTerminal>();
  #file: { accounts: readonly FileAccount[]; loadedAt: number; writtenAt: number } | undefined;
  readonly #writes = new Set<Promise<void>>();
  #sequence = 0;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(
    private readonly store: FleetStore,
    private readonly options: FleetOptions,
  ) {}

  get size(): number {
    return this.#live.size;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(Date.now()), this.options.writeMs);
    this.#timer.unref();
  }

  open(info: ConnectionInfo, now = Date.now()): TerminalObserver {
    const connectionId = (++this.#sequence).toString(36);
    const { gatewayId } = this.options;
    const t = new LiveTerminal(this, terminalStateKey(gatewayId, connectionId), { gatewayId, connectionId }, info, now);
    this.#live.set(t.key, t);
    this.writeNow(t, now);
    return t;
  }

  /**
   * The accounts file's accounts in force (at start, after each reload), written now and then
   * refreshed with the connections. On stop the entry is left to age out: a replica restarting
   * writes it again within moments, and a console would otherwise see the file's accounts go.
   */
  fileAccounts(accounts: readonly FileAccount[], now = Date.now()): void {
    this.#file = { accounts, loadedAt: now, writtenAt: 0 };
    this.#writeFile(now);
  }

  #writeFile(now: number): void {
    if (!this.#file) return;
    this.#file.writtenAt = now;
    const { gatewayId } = this.options;
    const entry: FileAccounts = {
      v: FILE_ACCOUNTS_VERSION,
      gatewayId,
      accounts: this.#file.accounts,
      loadedAt: this.#file.loadedAt,
      updatedAt: now,
      expiresAt: now + this.store.maxAgeMs,
    };
    this.#track(this.store.put(fileAccountsKey(gatewayId), JSON.stringify(entry)));
  }

  /** Writes what is due; run by the timer. */
  tick(now: number): void {
    if (this.#file && now - this.#file.writtenAt >= this.options.refreshMs) this.#writeFile(now);
    for (const t of this.#live.values()) {
      if (t.dirty || now - t.lastWrittenAt >= this.options.refreshMs) {
        this.writeNow(t, now);
        continue;
      }
      // Figures of a quiet connection fall as the minute slides past its requests.
      if (t.lastSummary && t.lastSummary.requests > 0 && !sameSummary(t.lastSummary, t.window.summary(now))) this.writeNow(t, now);
    }
  }

  writeNow(t: LiveTerminal, now: number): void {
    const lastMinute = t.window.summary(now);
    t.dirty = false;
    t.lastWrittenAt = now;
    t.lastSummary = lastMinute;
    const entry: TerminalState = { ...t.state, lastMinute, updatedAt: now, expiresAt: now + this.store.maxAgeMs };
    this.#track(this.store.put(t.key, JSON.stringify(entry)));
  }

  /**
   * A terminal's entry says "closed" until the store drops it, so a view sees the end; a
   * connection that never had an account (a port probe, a load balancer's check) just goes.
   */
  close(t: LiveTerminal, now: number): void {
    if (!this.#live.delete(t.key)) return;
    if (t.state.login === null) {
      this.#track(this.store.delete(t.key));
      return;
    }
    t.state.state = "closed";
    t.state.closedAt = now;
    this.writeNow(t, now);
  }

  /** Marks every connection still open closed and waits (bounded by the store) for the writes. */
  async stop(now = Date.now()): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const t of [...this.#live.values()]) this.close(t, now);
    await Promise.allSettled([...this.#writes]);
  }

  #track(write: Promise<void>): void {
    const p = write.then(
      () => {
        if (this.#failing) this.options.logger.info("fleet state written again");
        this.#failing = false;
      },
      (err: unknown) => {
        // Once per outage: a fleet view going stale must not flood the log on every connection.
        if (!this.#failing) this.options.logger.warn({ err }, "fleet state not written; retried on the next refresh");
        this.#failing = true;
      },
    );
    this.#writes.add(p);
    void p.finally(() => this.#writes.delete(p));
  }
}
