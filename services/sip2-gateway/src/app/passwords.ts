import { hashPassword, VerifiedSecretCache, verifyPassword } from "@circulate/runtime";

/** The project's one scrypt format (`scrypt$N$r$p$salt$hash`), as the accounts file stores it. */
export { hashPassword, verifyPassword };

/**
 * Login passwords that verified, remembered for a while, so a kiosk fleet reconnecting at once
 * (a gateway restart, a network blip) costs one scrypt per terminal, not one per connection.
 * The account's stored hash is the scope: an edited accounts file no longer matches.
 */
export class VerifiedPasswords {
  readonly #verified: VerifiedSecretCache;

  constructor(
    ttlMs = 10 * 60_000,
    maxEntries = 10_000,
    now: () => number = Date.now,
    private readonly check: (password: string, stored: string) => Promise<boolean> = verifyPassword,
  ) {
    this.#verified = new VerifiedSecretCache({ ttlMs, maxEntries, now });
  }

  async verify(password: string, stored: string): Promise<boolean> {
    if (this.#verified.has(stored, stored, password)) return true;
    if (!(await this.check(password, stored))) return false;
    this.#verified.remember(stored, stored, password);
    return true;
  }
}
