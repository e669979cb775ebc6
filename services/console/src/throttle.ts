/** Failed logins allowed per window, per name given and per client address. */
export interface ThrottlePolicy {
  readonly perName: number;
  readonly perAddress: number;
  readonly windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { perName: 5, perAddress: 20, windowMs: 15 * 60_000 };

/**
 * Counts failed logins in memory (the console runs as one replica). Past the
 * limit, a name or an address is refused without a password check until its
 * oldest failure leaves the window; a successful login clears the name's count.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until another attempt is allowed; 0 = allowed now. */
  retryAfterMs(name: string, address: string): number {
    return Math.max(this.#wait(`n:${name.toLowerCase()}`, this.policy.perName), this.#wait(`a:${address}`, this.policy.perAddress));
  }

  failed(name: string, address: string): void {
    const at = this.now();
    for (const key of [`n:${name.toLowerCase()}`, `a:${address}`]) this.#failures.set(key, [...this.#recent(key), at]);
    if (this.#failures.size > 100_000) this.#prune();
  }

  succeeded(name: string): void {
    this.#failures.delete(`n:${name.toLowerCase()}`);
  }

  #recent(key: string): number[] {
    const since = this.now() - this.policy.windowMs;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }

  #wait(key: string, limit: number): number {
    const recent = this.#recent(key);
    if (recent.length < limit) return 0;
    return recent[recent.length - limit]! + this.policy.windowMs - this.now();
  }

  #prune(): void {
    for (const key of [...this.#failures.keys()]) {
      const recent = this.#recent(key);
      if (recent.length === 0) this.#failures.delete(key);
      else this.#failures.set(key, recent);
    }
  }
}
