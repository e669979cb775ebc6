import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { VerifiedSecretCache } from "@circulate/runtime";

/** scrypt parameters for new hashes: N=2^14, r=8, p=1 (about 16 MiB, tens of ms). */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, { ...options, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>`: what the accounts file stores. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P }, KEY_LENGTH);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  if (!n || !r || !p || expected.length === 0) return false;
  try {
    const key = await derive(password, salt, { N: n, r, p }, expected.length);
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

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
