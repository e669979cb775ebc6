/**
 * Hashing and checking PINs. Deciders never hash: verification is slow on
 * purpose (scrypt) and runs in the app layer, which hands the decider the
 * result as a fact (`pinMatches`). The implementation lives in
 * `src/app/pin-hasher.ts`.
 */
export interface PinHasher {
  /** A new encoded hash with a fresh random salt. */
  hash(pin: string): Promise<string>;
  /** Constant-time comparison of `pin` against an encoded hash. */
  verify(pin: string, encoded: string): Promise<boolean>;
  /** True when `encoded` was made with other parameters than the current ones (rehash on next success). */
  needsRehash(encoded: string): boolean;
}
