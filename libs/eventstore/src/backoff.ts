/**
 * Exponential backoff with jitter: each delay is drawn from the upper half of
 * min(max, initial × 2^attempt), so retries spread out yet never wait longer than `maxMs`
 * (which bounds how late a retry notices that the dependency is back).
 */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly initialMs = 100,
    private readonly maxMs = 2_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.#attempt);
    if (ceiling < this.maxMs) this.#attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
