import type { ConsumerInfo, JetStreamManager } from "@nats-io/jetstream";

/**
 * Where a durable consumer stands on its stream, asked of the server: the
 * consumer's ack floor is the contiguous truth (every message at or below it
 * was applied and committed, whichever replica applied it), and
 * `delivered + pending` is the stream's last message for an unfiltered consumer.
 *
 * `caughtUp` is the read-your-writes barrier: it takes the stream's head when
 * called and waits until the ack floor reaches it. Barriers that arrive while a
 * question to the server is in flight share the next one (never the one in
 * flight, which may predate them), so a burst of requests costs two questions.
 */
export class ConsumerPosition {
  readonly #jsm: () => Promise<JetStreamManager>;
  readonly #stream: string;
  readonly #durable: string;
  #inFlight: Promise<ConsumerInfo> | undefined;
  #next: Promise<ConsumerInfo> | undefined;
  #progress: Array<() => void> = [];
  /** Stream sequences this process applied (or skipped), newest last: what its acks said, even if an ack was lost. */
  readonly #applied = new Set<number>();
  static readonly #REMEMBERED = 10_000;

  constructor(jsm: () => Promise<JetStreamManager>, stream: string, durable: string) {
    this.#jsm = jsm;
    this.#stream = stream;
    this.#durable = durable;
  }

  /** Called by the consumer with the stream sequences it has just committed (or had nothing to do for) and acknowledged. */
  applied(seqs: readonly number[]): void {
    for (const seq of seqs) this.#applied.add(seq);
    for (const seq of this.#applied) {
      if (this.#applied.size <= ConsumerPosition.#REMEMBERED) break;
      this.#applied.delete(seq);
    }
    this.#progressed();
  }

  /** Waiting barriers ask again. */
  #progressed(): void {
    const waiting = this.#progress;
    this.#progress = [];
    for (const wake of waiting) wake();
  }

  /** Messages on the stream not yet applied (pending plus delivered but unacknowledged); -1 if NATS did not answer within `timeoutMs`. */
  async lag(timeoutMs = 1_000): Promise<number> {
    const info = await bounded(this.#info(), timeoutMs);
    return info ? info.num_pending + info.num_ack_pending : -1;
  }

  /**
   * True once every message the stream held at the call is applied; false if
   * that takes longer than `budgetMs`. Asks again after each applied message
   * and at least every `pollMs` (another replica may be the one applying).
   */
  async caughtUp(budgetMs: number, pollMs = 20): Promise<boolean> {
    const until = Date.now() + budgetMs;
    let first = await bounded(this.#info(), budgetMs);
    // Not answered (NATS reconnecting, JetStream still starting): asked again while there is time.
    while (!first && until - Date.now() > pollMs) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      first = await bounded(this.#info(), until - Date.now());
    }
    if (!first) return false;
    const head = first.delivered.stream_seq + first.num_pending;
    let floor = first.ack_floor.stream_seq;
    while (floor < head && !this.#appliedHere(floor, head)) {
      const left = until - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(pollMs, left));
        this.#progress.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      const next = await bounded(this.#info(), until - Date.now());
      if (!next) return false;
      floor = next.ack_floor.stream_seq;
    }
    return true;
  }

  /**
   * Every message above the ack floor up to `head` was applied by this process:
   * its acks were sent but not all heard (NATS went away between), and the
   * server would redeliver them only after the ack wait.
   */
  #appliedHere(floor: number, head: number): boolean {
    if (head - floor > this.#applied.size) return false;
    for (let seq = floor + 1; seq <= head; seq++) if (!this.#applied.has(seq)) return false;
    return true;
  }

  /** Consumer info asked after this call (shared with others asking meanwhile). */
  #info(): Promise<ConsumerInfo> {
    if (!this.#inFlight) {
      this.#inFlight = this.#ask().finally(() => {
        this.#inFlight = undefined;
      });
      return this.#inFlight;
    }
    if (!this.#next) {
      const after = this.#inFlight.catch(() => undefined);
      this.#next = after.then(() => {
        this.#next = undefined;
        return this.#info();
      });
    }
    return this.#next;
  }

  async #ask(): Promise<ConsumerInfo> {
    return (await this.#jsm()).consumers.info(this.#stream, this.#durable);
  }
}

/** The answer, or undefined when it fails or takes longer than `ms` (NATS down must not hang a request). */
function bounded<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return Promise.resolve(undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
