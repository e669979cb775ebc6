/**
 * Progress of an import, as numbers (for a console) and as one line of text
 * (for the command). Pure: the clock is passed in.
 */

export type ImportPhase = "validating" | "loading";

/** Where an import is. `total` is known when loading (the validation pass counted the records); while validating, `fraction` is the share of the input read. */
export interface ImportProgress {
  readonly phase: ImportPhase;
  /** `records` while validating (patrons and items as they come); the section being loaded (`patrons`, `items`, `loans`, …). */
  readonly section: string;
  readonly done: number;
  readonly total: number | undefined;
  /** Share of the work done, 0 to 1, when known. */
  readonly fraction: number | undefined;
  readonly recordsPerSecond: number;
  /** Estimated from the rate so far; undefined until there is one. */
  readonly secondsLeft: number | undefined;
  readonly elapsedSeconds: number;
  /** The last report of this section. */
  readonly finished: boolean;
}

/**
 * Tracks one section and says when a report is due: at most every
 * `intervalMs`, and always when the section finishes.
 */
export class ProgressMeter {
  readonly #started: number;
  #lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    readonly phase: ImportPhase,
    readonly section: string,
    readonly total: number | undefined,
    private readonly now: () => number,
    private readonly intervalMs: number,
  ) {
    this.#started = now();
  }

  /** A report when one is due (or `force`), else undefined. `fraction` overrides done/total (bytes read while validating). */
  update(done: number, fraction?: number, force = false): ImportProgress | undefined {
    const at = this.now();
    if (!force && at - this.#lastReport < this.intervalMs) return undefined;
    this.#lastReport = at;
    return this.#report(at, done, fraction, false);
  }

  finish(done: number): ImportProgress {
    return this.#report(this.now(), done, 1, true);
  }

  #report(at: number, done: number, fractionGiven: number | undefined, finished: boolean): ImportProgress {
    const elapsedSeconds = Math.max(0, (at - this.#started) / 1000);
    const fraction = fractionGiven ?? (this.total ? Math.min(1, done / this.total) : this.total === 0 ? 1 : undefined);
    const recordsPerSecond = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
    const secondsLeft =
      finished ? 0 : fraction !== undefined && fraction > 0 && elapsedSeconds > 0 ? (elapsedSeconds * (1 - fraction)) / fraction : undefined;
    // A validation pass knows its total once it is over.
    const total = this.total ?? (finished ? done : undefined);
    return { phase: this.phase, section: this.section, done, total, fraction, recordsPerSecond, secondsLeft, elapsedSeconds, finished };
  }
}

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** `1,000,000` */
export const formatCount = (n: number): string => number.format(n);

/** `45s`, `1m 32s`, `2h 05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * One line: `items: 250,000/1,000,000 (25 %), 8,120 records/s, 1m 32s left`
 * while loading, `validating: 250,000 records (25 %), …` while validating, and
 * `items: 1,000,000/1,000,000 (100 %), 8,120 records/s, took 2m 03s` at the end.
 */
export function formatProgress(p: ImportProgress): string {
  const count = p.total !== undefined ? `${formatCount(p.done)}/${formatCount(p.total)}` : `${formatCount(p.done)} records`;
  const percent = p.fraction !== undefined ? ` (${Math.floor(p.fraction * 100)} %)` : "";
  const rate = `${formatCount(p.recordsPerSecond)} records/s`;
  const time = p.finished ? `took ${formatDuration(p.elapsedSeconds)}` : p.secondsLeft !== undefined ? `${formatDuration(p.secondsLeft)} left` : "";
  const head = p.phase === "validating" ? "validating" : p.section;
  return `${head}: ${count}${percent}, ${rate}${time ? `, ${time}` : ""}`;
}
