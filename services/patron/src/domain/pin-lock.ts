import { fold } from "@circulate/domain";
import { type PatronEvent, patronEvent } from "./unpublished-fields.js";
import { evolvePatron, type PinState, type RegisteredPatron } from "./patron.state.js";

/** The lock-out policy of an institution. */
export interface PinPolicy {
  /** How many wrong PINs in a row lock the PIN; `null` = never lock. */
  readonly maxConsecutiveWrongPins: number | null;
  /** How long a lock lasts, in minutes; `null` = until staff lift it (or set a new PIN). */
  readonly lockMinutes: number | null;
}

/**
 * Result of a PIN check (SIP2 `CQ`): `not_checked` when no PIN was given,
 * `locked` when the PIN is locked (or this attempt locked it).
 */
export type PinCheck = "ok" | "wrong" | "locked" | "not_checked";

const MINUTE_MS = 60_000;

/**
 * The lock has lasted the lock time. Judged with the lock time in force now,
 * so an institution that shortens it frees existing locks. A lock with no
 * known start (recorded before locks carried one) never expires by itself.
 */
function lockExpired(pin: PinState, policy: PinPolicy, now: Date): boolean {
  if (!pin.locked || policy.lockMinutes === null || pin.lockedAt === null) return false;
  return now.getTime() >= Date.parse(pin.lockedAt) + policy.lockMinutes * MINUTE_MS;
}

/** PIN checks are refused now: locked, and the lock time (if any) has not passed. */
export function pinLockInForce(pin: PinState, policy: PinPolicy, now: Date): boolean {
  return pin.locked && !lockExpired(pin, policy, now);
}

/**
 * Applies the lock-out rule to one PIN attempt.
 *
 * - `pinMatches` is a fact computed by the app: `undefined` = no PIN given,
 *   otherwise whether it matched the stored hash (`false` when there is none).
 * - Locked: `locked`, no event, whatever `pinMatches` says. The app may skip
 *   the costly hash when the lock is in force. Attempts on a locked PIN are not
 *   recorded: they change nothing, and a guessing script must not be able to
 *   grow the stream without bound.
 * - A lock whose time has passed: the attempt records `PinUnlocked` (expired)
 *   first and is then judged on a fresh count.
 * - Wrong: `PinFailed` with the new count; reaching the limit adds
 *   `PinLocked` and the attempt already reports `locked`, so the kiosk tells
 *   the patron to see staff instead of inviting a retry that cannot succeed.
 * - Right: `ok`; `PinFailuresReset` only when the count was non-zero, so the common
 *   case (23, 63, every checkout with a PIN) writes nothing.
 */
export function checkPin(
  pinMatches: boolean | undefined,
  patron: RegisteredPatron,
  policy: PinPolicy,
  now: Date,
): { readonly pin: PinCheck; readonly events: PatronEvent[] } {
  if (pinMatches === undefined) return { pin: "not_checked", events: [] };
  const expired = lockExpired(patron.pin, policy, now);
  if (patron.pin.locked && !expired) return { pin: "locked", events: [] };
  const { patronId } = patron;
  const before: PatronEvent[] = expired ? [patronEvent("PinUnlocked", { patronId, staff: "", expired: true })] : [];
  const failures = expired ? 0 : patron.pin.consecutiveFailures;
  if (pinMatches) {
    return { pin: "ok", events: failures > 0 ? [...before, patronEvent("PinFailuresReset", { patronId, cause: "pin_accepted" })] : before };
  }
  const consecutiveFailures = failures + 1;
  // The kiosk's terminal account is the app's to add.
  const rejected = patronEvent("PinFailed", { patronId, consecutiveFailures });
  const limit = policy.maxConsecutiveWrongPins;
  if (limit !== null && consecutiveFailures >= limit) {
    const lockedAt = now.toISOString();
    // No lockedUntil without a lock time: the lock lasts until staff lift it.
    const lockedUntil = policy.lockMinutes === null ? undefined : new Date(now.getTime() + policy.lockMinutes * MINUTE_MS);
    return { pin: "locked", events: [...before, rejected, patronEvent("PinLocked", { patronId, consecutiveFailures, lockedAt, lockedUntil })] };
  }
  return { pin: "wrong", events: [...before, rejected] };
}

/**
 * The lock is in force after `events` (a check that just locked, or a lock
 * the events leave in place): every reply reports it, PIN given or not.
 */
export function pinLockedAfter(patron: RegisteredPatron, events: readonly PatronEvent[], policy: PinPolicy, now: Date): boolean {
  const after = fold(evolvePatron, patron, events);
  return after.status === "registered" && pinLockInForce(after.pin, policy, now);
}
