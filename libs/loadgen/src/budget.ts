/**
 * The bounds of a run, shared by all kiosks: a deadline and a request count. A
 * kiosk reserves a whole session's requests before starting it, so a session that
 * starts always finishes (its items go back to the pool) and the count is never
 * exceeded; the run ends at most one session after the deadline.
 */
export class Budget {
  #remaining: number;
  #stopped = false;

  constructor(
    /** Largest number of requests of the whole run (Infinity = no limit). */
    readonly maxRequests: number,
    /** performance.now() after which no new session or connection starts. */
    readonly deadline: number,
    private readonly now: () => number,
  ) {
    this.#remaining = maxRequests;
  }

  /** True once the deadline has passed, the count is used up, or {@link stop} was called. */
  get stopped(): boolean {
    return this.#stopped || this.now() >= this.deadline || this.#remaining <= 0;
  }

  /** Reserves `n` requests; false (nothing reserved) when stopped or fewer are left. */
  take(n: number): boolean {
    if (this.stopped || this.#remaining < n) return false;
    this.#remaining -= n;
    return true;
  }

  /** Gives back reserved requests that were not sent. */
  release(n: number): void {
    this.#remaining += n;
  }

  /** Ends the run early (Ctrl-C): sessions under way finish, nothing new starts. */
  stop(): void {
    this.#stopped = true;
  }
}
