import { createHmac, randomBytes } from "node:crypto";

export interface VerifiedSecretCacheOptions {
  /** How long a successful verification is remembered. Default 5 minutes. */
  readonly ttlMs?: number;
  /** Upper bound on remembered verifications; the oldest scopes are dropped first. Default 100 000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Remembers successful verifications of a secret against its slow (scrypt)
 * hash for a few minutes: a patron's PIN, which kiosks send with every 23, 63
 * and checkout of a session, or a terminal's login password, which a fleet of
 * kiosks sends again on every reconnect. A scope is whose secret it is (a
 * patron's stream, a terminal account).
 *
 * - Keys are an HMAC-SHA256 of (scope, stored hash, secret) under a key drawn
 *   at random when the process starts and never stored: memory holds no secret
 *   and nothing that can be tested offline against a guess.
 * - The stored hash is part of the key, so a new secret (on any replica, or in
 *   a reloaded file) makes every remembered verification miss; callers also
 *   `forget` a scope when they record a change, lock or unlock.
 * - Only successes are cached: every wrong secret is hashed (and counted).
 */
export class VerifiedSecretCache {
  readonly #key = randomBytes(32);
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** scope → (hmac → expiry). Map order = insertion order, oldest first, for eviction. */
  readonly #byScope = new Map<string, Map<string, number>>();
  #size = 0;

  constructor(options: VerifiedSecretCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  #mac(scope: string, storedHash: string, secret: string): string {
    return createHmac("sha256", this.#key).update(scope).update("\0").update(storedHash).update("\0").update(secret).digest("base64url");
  }

  /** True when this secret was verified against this hash within the TTL. */
  has(scope: string, storedHash: string, secret: string): boolean {
    if (this.#ttlMs <= 0) return false;
    const entries = this.#byScope.get(scope);
    const mac = entries && this.#mac(scope, storedHash, secret);
    const expires = mac === undefined ? undefined : entries?.get(mac);
    if (expires === undefined) return false;
    if (expires > this.#now()) return true;
    entries?.delete(mac as string);
    this.#size--;
    return false;
  }

  remember(scope: string, storedHash: string, secret: string): void {
    if (this.#ttlMs <= 0) return;
    let entries = this.#byScope.get(scope);
    if (!entries) {
      entries = new Map();
      this.#byScope.set(scope, entries);
    }
    const mac = this.#mac(scope, storedHash, secret);
    if (!entries.has(mac)) this.#size++;
    entries.set(mac, this.#now() + this.#ttlMs);
    while (this.#size > this.#maxEntries) {
      const oldest = this.#byScope.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  /** Drops everything remembered for a scope (e.g. a patron whose PIN changed, locked or unlocked). */
  forget(scope: string): void {
    const entries = this.#byScope.get(scope);
    if (!entries) return;
    this.#size -= entries.size;
    this.#byScope.delete(scope);
  }

  get size(): number {
    return this.#size;
  }
}
