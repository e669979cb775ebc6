import { type PatronState, type PinPolicy, pinLockInForce, type RegisteredPatron } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { StaleFactsError } from "./patron-store.js";

/** The PIN comparison handed to a decider, with what it was computed against. */
export interface PinFact {
  /** `undefined` = no PIN given. */
  readonly pinMatches: boolean | undefined;
  /** The hash and lock the comparison saw; the decision must see the same. */
  readonly seen: { readonly hash: string | null; readonly locked: boolean };
}

/**
 * Compares a PIN with the stored hash, outside the transaction (scrypt is
 * slow). Skips the hash while the lock is in force (the decider answers
 * `locked` whatever the comparison says; an expired lock is compared, since
 * the decider then judges the PIN) and uses the cache of recent successes.
 * A malformed stored hash throws MalformedPinHashError: corrupt data is never
 * a wrong PIN that counts towards a lock.
 */
export async function comparePin(
  app: PatronApp,
  streamId: string,
  patron: RegisteredPatron,
  pin: string | undefined,
  lock: { readonly policy: PinPolicy; readonly now: Date },
): Promise<PinFact> {
  const seen = { hash: patron.pin.hash, locked: patron.pin.locked };
  if (pin === undefined) return { pinMatches: undefined, seen };
  const hash = patron.pin.hash;
  if (pinLockInForce(patron.pin, lock.policy, lock.now) || hash === null || pin === "") return { pinMatches: false, seen };
  if (app.pinCache.has(streamId, hash, pin)) return { pinMatches: true, seen };
  const ok = await app.hasher.verify(pin, hash);
  if (ok) app.pinCache.remember(streamId, hash, pin);
  return { pinMatches: ok, seen };
}

/** Throws StaleFactsError when the state in the transaction is not what the PIN was compared against. */
export function assertPinFactFits(state: PatronState, fact: PinFact): void {
  if (fact.pinMatches === undefined || state.status !== "registered") return;
  if (state.pin.hash !== fact.seen.hash || state.pin.locked !== fact.seen.locked) {
    throw new StaleFactsError("PIN hash or lock changed while verifying");
  }
}

/** After a commit: drop cached verifications when the PIN changed, locked or unlocked. */
export function forgetPinIfChanged(app: PatronApp, streamId: string, events: readonly { type: string }[]): void {
  if (events.some((e) => e.type === "PinChanged" || e.type === "PinLocked" || e.type === "PinUnlocked")) {
    app.pinCache.forget(streamId);
  }
}
