import type pg from "pg";

interface Waiter {
  /** The newest commit as of the first read that began after the call; unset until then. */
  target: bigint | undefined;
  readonly until: number;
  readonly resolve: (published: boolean) => void;
}

/**
 * A standby relay's answer to "is what was committed before now on the
 * stream?": the active relay, in another process, checkpoints after each
 * batch, so it is once that checkpoint reaches the newest commit as read
 * after the question. Every reply waiting on this replica shares one poll,
 * one statement reading both, at most one in flight, instead of a loop of its
 * own: under a burst the loops' polls queued on the relay's one session.
 * Replies asked while a read is in flight share the next one.
 */
export class CheckpointWatch {
  #waiters: Waiter[] = [];
  #polling = false;
  #closed = false;
  /** Ends the pause between reads early: a new reply is read for at once, not a tick later. */
  #wake: (() => void) | undefined;

  constructor(
    private readonly client: Pick<pg.Client, "query">,
    private readonly name: string,
    private readonly pollMs: number,
  ) {}

  /** True once published; false past the budget, when the session fails or the watch is closed. */
  reaches(budgetMs: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.#waiters.push({ target: undefined, until: Date.now() + budgetMs, resolve });
      if (!this.#polling) void this.#poll();
      else this.#wake?.();
    });
  }

  /** Answers every waiting reply "cannot tell" (the session is gone, or the relay stops). */
  close(): void {
    this.#closed = true;
    this.#settleAll(false);
    this.#wake?.();
  }

  async #poll(): Promise<void> {
    this.#polling = true;
    try {
      while (this.#waiters.length > 0 && !this.#closed) {
        // Only replies asked before this read began may take its newest commit as their target.
        const joined = this.#waiters.filter((w) => w.target === undefined);
        let read: { newest: bigint; checkpoint: bigint };
        try {
          read = await this.#read();
        } catch {
          this.#settleAll(false);
          return;
        }
        for (const w of joined) w.target = read.newest;
        const now = Date.now();
        this.#waiters = this.#waiters.filter((w) => {
          if (w.target !== undefined && read.checkpoint >= w.target) w.resolve(true);
          else if (now + this.pollMs > w.until) w.resolve(false);
          else return true;
          return false;
        });
        if (this.#waiters.length > 0 && this.#waiters.every((w) => w.target !== undefined)) await this.#pause();
      }
    } finally {
      this.#polling = false;
    }
  }

  #pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#wake?.(), this.pollMs);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async #read(): Promise<{ newest: bigint; checkpoint: bigint }> {
    const { rows } = await this.client.query<{ newest: string; checkpoint: string }>(
      `SELECT (SELECT coalesce(max(commit_seq), 0) FROM events)::text AS newest,
              coalesce((SELECT commit_seq FROM relay_checkpoints WHERE name = $1), 0)::text AS checkpoint`,
      [this.name],
    );
    return { newest: BigInt(rows[0]!.newest), checkpoint: BigInt(rows[0]!.checkpoint) };
  }

  #settleAll(published: boolean): void {
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const w of waiting) w.resolve(published);
  }
}
