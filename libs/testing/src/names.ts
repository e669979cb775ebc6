import { randomBytes } from "node:crypto";

/**
 * Every resource a test run creates is named `circ_t_<created, base36 ms>_<random>…`
 * (streams upper-cased), so a run can remove its own and sweep what crashed runs left.
 */
export const TEST_PREFIX = "circ_t_";
export const STALE_AFTER_MS = 60 * 60 * 1000;

export function newRunId(now = Date.now()): string {
  return `${TEST_PREFIX}${now.toString(36)}_${randomBytes(3).toString("hex")}`;
}

export function uniqueName(runId: string): string {
  return `${runId}_${randomBytes(4).toString("hex")}`;
}

/** Creation time encoded in a test resource name, or undefined for foreign names. */
export function createdAt(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith(TEST_PREFIX)) return undefined;
  const stamp = lower.slice(TEST_PREFIX.length).split("_")[0] ?? "";
  const ms = Number.parseInt(stamp, 36);
  return Number.isFinite(ms) ? ms : undefined;
}

export function isStale(name: string, now = Date.now()): boolean {
  const at = createdAt(name);
  return at !== undefined && now - at > STALE_AFTER_MS;
}
