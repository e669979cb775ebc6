import type { RequestOutcome } from "./ports.js";

const WINDOW_SECONDS = 60;
/** Latencies kept for the p95: enough for a kiosk's minute; a busy sorter's is its latest 128. */
const SAMPLES = 128;

/** What one answered frame counts as. */
export function classify(message: string, outcome: RequestOutcome): { refusal: boolean; error: boolean; timed: boolean } {
  return {
    refusal: outcome === "refused" || outcome === "denied",
    error: outcome === "timeout" || outcome === "unavailable" || outcome === "bad_checksum" || outcome === "malformed",
    // Only what went to a service (or was due from one): 93/99/97 and local answers take no time worth showing.
    timed: message !== "93" && message !== "99" && message !== "97" && (outcome === "accepted" || outcome === "refused" || outcome === "timeout" || outcome === "unavailable" || outcome === "cached"),
  };
}

export interface MinuteSummary {
  requests: number;
  refusals: number;
  errors: number;
  p95Ms: number | null;
}

/**
 * A connection's last minute in fixed memory: per-second counts in a ring of 60 slots and the
 * latest 128 latencies with their times. Nothing grows with traffic or connection age.
 */
export class ActivityWindow {
  readonly #counts = new Uint32Array(WINDOW_SECONDS * 3);
  /** The second each slot holds; a slot of an older second is stale and read as zero. */
  readonly #slotSecond = new Float64Array(WINDOW_SECONDS).fill(-1);
  readonly #latency = new Float64Array(SAMPLES);
  readonly #latencyAt = new Float64Array(SAMPLES).fill(-Infinity);
  #next = 0;

  record(at: number, message: string, outcome: RequestOutcome, latencyMs: number): void {
    const second = Math.floor(at / 1000);
    const slot = second % WINDOW_SECONDS;
    if (this.#slotSecond[slot] !== second) {
      this.#slotSecond[slot] = second;
      this.#counts.fill(0, slot * 3, slot * 3 + 3);
    }
    const { refusal, error, timed } = classify(message, outcome);
    this.#counts[slot * 3]! += 1;
    if (refusal) this.#counts[slot * 3 + 1]! += 1;
    if (error) this.#counts[slot * 3 + 2]! += 1;
    if (timed) {
      this.#latency[this.#next] = latencyMs;
      this.#latencyAt[this.#next] = at;
      this.#next = (this.#next + 1) % SAMPLES;
    }
  }

  /** The 60 s up to `now`. */
  summary(now: number): MinuteSummary {
    const oldest = Math.floor(now / 1000) - WINDOW_SECONDS + 1;
    let requests = 0;
    let refusals = 0;
    let errors = 0;
    for (let slot = 0; slot < WINDOW_SECONDS; slot++) {
      if (this.#slotSecond[slot]! < oldest) continue;
      requests += this.#counts[slot * 3]!;
      refusals += this.#counts[slot * 3 + 1]!;
      errors += this.#counts[slot * 3 + 2]!;
    }
    const since = now - WINDOW_SECONDS * 1000;
    const recent: number[] = [];
    for (let i = 0; i < SAMPLES; i++) if (this.#latencyAt[i]! > since) recent.push(this.#latency[i]!);
    return { requests, refusals, errors, p95Ms: percentile(recent, 0.95) };
  }
}

/** Nearest-rank percentile, in whole milliseconds; null for no samples. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
}

export function sameSummary(a: MinuteSummary | undefined, b: MinuteSummary): boolean {
  return a !== undefined && a.requests === b.requests && a.refusals === b.refusals && a.errors === b.errors && a.p95Ms === b.p95Ms;
}
