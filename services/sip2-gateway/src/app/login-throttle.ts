/** How many failed logins an address may make before it is locked out, and for how long. */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

interface Entry {
  failures: number;
  firstAt: number;
  lockedUntil: number;
}

/**
 * Failed-login throttling per source address: `maxFailures` failures within
 * `windowMs` lock the address out of 93 logins for `lockoutMs` (they are
 * answered 940 without checking the password). Entries expire on their own,
 * so a scan of many addresses cannot grow memory without bound for long.
 */
export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly options: ThrottleOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  isLocked(address: string): boolean {
    const e = this.#entries.get(address);
    return e !== undefined && e.lockedUntil > this.clock();
  }

  recordFailure(address: string): void {
    const now = this.clock();
    this.#sweep(now);
    let e = this.#entries.get(address);
    if (!e || now - e.firstAt > this.options.windowMs) {
      e = { failures: 0, firstAt: now, lockedUntil: 0 };
      this.#entries.set(address, e);
    }
    e.failures++;
    if (e.failures >= this.options.maxFailures) e.lockedUntil = now + this.options.lockoutMs;
  }

  recordSuccess(address: string): void {
    this.#entries.delete(address);
  }

  #sweep(now: number): void {
    if (this.#entries.size < 1_000) return;
    for (const [address, e] of this.#entries) {
      if (e.lockedUntil <= now && now - e.firstAt > this.options.windowMs) this.#entries.delete(address);
    }
  }
}
