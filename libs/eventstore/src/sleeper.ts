/**
 * An interruptible pause for polling loops: `sleep` resolves after `ms` or as
 * soon as `wake()` is called. A wake that arrives while not sleeping is kept,
 * so the next sleep returns at once and no nudge is lost.
 */
export class Sleeper {
  #wakeup: (() => void) | undefined;
  #pending = false;

  sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakeup = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeup = done;
    });
  }

  wake(): void {
    if (this.#wakeup) this.#wakeup();
    else this.#pending = true;
  }

  /** Cuts short a sleep in progress only; unlike `wake`, nothing is kept for the next one. */
  interrupt(): void {
    this.#wakeup?.();
  }
}
