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
 * The re-send window: raw request (per account) → its encoded response. A
 * byte-identical request within the window — on any connection of the same
 * account — gets the same bytes without asking the service again; one still in
 * flight shares the pending answer. Only answers built from a service outcome
 * are kept: a timeout or "unavailable" answer is dropped so a retry asks again
 * (with the same command id, so the service still acts at most once).
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  static key(login: string, raw: Uint8Array): string {
    return `${login}\u0000${Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("latin1")}`;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached or in-flight response; undefined when absent or expired. */
  get(key: string): Promise<CachedAnswer> | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.response;
  }

  /** Remembers `response` for the window; forgotten once it resolves with `keep: false`. */
  put(key: string, response: Promise<CachedAnswer>): void {
    const now = this.clock();
    this.#sweep(now);
    this.#entries.delete(key); // re-insert at the end: the map stays in expiry order
    const entry: Entry = { expiresAt: now + this.windowMs, response };
    this.#entries.set(key, entry);
    response.then(
      (answer) => {
        if (!answer.keep && this.#entries.get(key) === entry) this.#entries.delete(key);
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
  }

  // Entries are inserted with the same window, so the oldest expire first.
  #sweep(now: number): void {
    for (const [key, e] of this.#entries) {
      if (e.expiresAt > now) break;
      this.#entries.delete(key);
    }
  }
}
