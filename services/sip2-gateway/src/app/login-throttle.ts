/** How many failed logins an address may make before it is locked out, and for how long. */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

/** Failed logins of one address: how many since `firstAt`, and until when it is locked out. */
export interface LoginFailures {
  readonly failures: number;
  readonly firstAt: number;
  readonly lockedUntil: number;
}

/** What a session asks and tells about logins from an address. */
export interface Throttle {
  isLocked(address: string): boolean;
  recordFailure(address: string): void;
  recordSuccess(address: string): void;
}

/** The failures after one more at `now`: a window that has passed starts again. */
export function afterFailure(before: LoginFailures | undefined, now: number, options: ThrottleOptions): LoginFailures {
  const fresh = before === undefined || now - before.firstAt > options.windowMs;
  const failures = fresh ? 1 : before.failures + 1;
  const firstAt = fresh ? now : before.firstAt;
  const lockedUntil = failures >= options.maxFailures ? now + options.lockoutMs : fresh ? 0 : before.lockedUntil;
  return { failures, firstAt, lockedUntil };
}

/**
 * Failed-login throttling per source address: `maxFailures` failures within
 * `windowMs` lock the address out of 93 logins for `lockoutMs` (they are
 * answered 940 without checking the password). Entries expire on their own,
 * so a scan of many addresses cannot grow memory without bound for long.
 * This is one process's view; `KvLoginThrottle` shares it between replicas.
 */
export class LoginThrottle implements Throttle {
  readonly #entries = new Map<string, LoginFailures>();

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
    this.#entries.set(address, afterFailure(this.#entries.get(address), now, this.options));
  }

  recordSuccess(address: string): void {
    this.#entries.delete(address);
  }

  /** Takes what another replica recorded for an address (undefined: its failures were cleared). */
  adopt(address: string, failures: LoginFailures | undefined): void {
    if (failures === undefined) this.#entries.delete(address);
    else this.#entries.set(address, failures);
  }

  #sweep(now: number): void {
    if (this.#entries.size < 1_000) return;
    for (const [address, e] of this.#entries) {
      if (e.lockedUntil <= now && now - e.firstAt > this.options.windowMs) this.#entries.delete(address);
    }
  }
}
