/**
 * Problems found in an input. A broken file of a million rows must not fill the
 * memory with a million messages, so only the first ones are kept (and
 * printed); the rest are counted and still handed to `onProblem`, where a
 * console may show or store them as it likes.
 */

/** What the readers push problems into: an array, or a {@link ProblemList}. */
export interface ProblemSink {
  push(...problems: string[]): unknown;
  /** How many problems were pushed (kept or not). */
  readonly length: number;
}

/** Problems kept and printed at most: enough to see every kind of mistake in a file. */
export const MAX_KEPT_PROBLEMS = 1000;

export class ProblemList implements ProblemSink {
  readonly kept: string[] = [];
  #total = 0;

  constructor(
    private readonly onProblem?: (problem: string) => void,
    readonly limit = MAX_KEPT_PROBLEMS,
  ) {}

  push(...problems: string[]): number {
    for (const p of problems) {
      this.#total++;
      if (this.kept.length < this.limit) this.kept.push(p);
      this.onProblem?.(p);
    }
    return this.#total;
  }

  get length(): number {
    return this.#total;
  }
}

/** The input is invalid: the problems found (the first {@link MAX_KEPT_PROBLEMS}), each naming its record. Nothing was sent. */
export class InvalidImportError extends Error {
  override readonly name = "InvalidImportError";
  /** Every problem found, including those not kept in `problems`. */
  readonly total: number;
  constructor(
    readonly problems: readonly string[],
    total = problems.length,
  ) {
    const more = total > problems.length ? `\n  … and ${(total - problems.length).toLocaleString("en-US")} more` : "";
    super(`the import is invalid (${total.toLocaleString("en-US")} problem${total === 1 ? "" : "s"}); nothing was loaded:\n  ${problems.join("\n  ")}${more}`);
    this.total = total;
  }
}
