import { createHmac, randomBytes } from "node:crypto";

export interface PinCacheOptions {
  /** How long a successful verification is remembered. Default 5 minutes. */
  readonly ttlMs?: number;
  /** Upper bound on remembered verifications; the oldest patrons are dropped first. Default 100 000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Remembers successful PIN verifications for a few minutes, because scrypt
 * costs ~55 ms of CPU and kiosks send the PIN with every 23, 63 and checkout
 * of a session.
 *
 * - Keys are an HMAC-SHA256 of (stream, stored hash, PIN) under a key drawn at
 *   random when the process starts and never stored: memory holds no PIN and
 *   nothing that can be tested offline against a guessed PIN.
 * - The stored hash is part of the key, so a new PIN (on any replica) makes
 *   every remembered verification miss; the app also `forget`s a patron when
 *   it records a PIN change, lock or unlock.
 * - Only successes are cached: every wrong PIN is hashed and counted.
 * - A lock is enforced by the decider whatever the cache says.
 */
export class VerifiedPinCache {
  readonly #key = randomBytes(32);
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** stream → (hmac → expiry). Map order = insertion order, oldest first, for eviction. */
  readonly #byStream = new Map<string, Map<string, number>>();
  #size = 0;

  constructor(options: PinCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  #mac(streamId: string, pinHash: string, pin: string): string {
    return createHmac("sha256", this.#key).update(streamId).update("\0").update(pinHash).update("\0").update(pin).digest("base64url");
  }

  /** True when this PIN was verified against this hash within the TTL. */
  has(streamId: string, pinHash: string, pin: string): boolean {
    if (this.#ttlMs <= 0) return false;
    const entries = this.#byStream.get(streamId);
    const mac = entries && this.#mac(streamId, pinHash, pin);
    const expires = mac === undefined ? undefined : entries?.get(mac);
    if (expires === undefined) return false;
    if (expires > this.#now()) return true;
    entries?.delete(mac as string);
    this.#size--;
    return false;
  }

  remember(streamId: string, pinHash: string, pin: string): void {
    if (this.#ttlMs <= 0) return;
    let entries = this.#byStream.get(streamId);
    if (!entries) {
      entries = new Map();
      this.#byStream.set(streamId, entries);
    }
    const mac = this.#mac(streamId, pinHash, pin);
    if (!entries.has(mac)) this.#size++;
    entries.set(mac, this.#now() + this.#ttlMs);
    while (this.#size > this.#maxEntries) {
      const oldest = this.#byStream.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  /** Drops everything remembered for a patron (PIN changed, locked or unlocked). */
  forget(streamId: string): void {
    const entries = this.#byStream.get(streamId);
    if (!entries) return;
    this.#size -= entries.size;
    this.#byStream.delete(streamId);
  }

  get size(): number {
    return this.#size;
  }
}
