/** An encoded response and whether it may be replayed to a retry. */
export interface CachedAnswer {
  readonly bytes: Uint8Array;
  readonly keep: boolean;
}

interface Entry {
  expiresAt: number;
  response: Promise<CachedAnswer>;
}

/**
 * Answers to transactions by command id, for the retries this replica sees: a
 * retry gets the same bytes without asking the service again, and one sent
 * while the first attempt is still in flight shares its pending answer. Only
 * answers built from a service outcome are kept: a timeout or "unavailable"
 * answer is dropped, so a retry asks again (under the same command id, so the
 * service still acts at most once). Whether a request is a retry is decided
 * before it gets here; this cache only remembers.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The cached or in-flight response; undefined when absent or expired. */
  get(commandId: string): Promise<CachedAnswer> | undefined {
    const e = this.#entries.get(commandId);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock()) {
      this.#entries.delete(commandId);
      return undefined;
    }
    return e.response;
  }

  /** Remembers `response` for `ttlMs`; forgotten once it resolves with `keep: false`. */
  put(commandId: string, response: Promise<CachedAnswer>, ttlMs: number): void {
    const now = this.clock();
    this.#sweep(now);
    this.#entries.delete(commandId); // re-insert at the end: the map stays roughly in expiry order
    const entry: Entry = { expiresAt: now + ttlMs, response };
    this.#entries.set(commandId, entry);
    response.then(
      (answer) => {
        if (!answer.keep && this.#entries.get(commandId) === entry) this.#entries.delete(commandId);
      },
      () => {
        if (this.#entries.get(commandId) === entry) this.#entries.delete(commandId);
      },
    );
  }

  // Oldest first; accounts with different budgets only delay an entry's removal, get() still checks it.
  #sweep(now: number): void {
    for (const [key, e] of this.#entries) {
      if (e.expiresAt > now) break;
      this.#entries.delete(key);
    }
  }
}
