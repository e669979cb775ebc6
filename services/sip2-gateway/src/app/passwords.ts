import { createHmac, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

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
 * Remembers passwords that verified, so a kiosk fleet reconnecting at once (a gateway restart,
 * a network blip) costs one scrypt per terminal, not one per connection. Entries are keyed by an
 * HMAC of the stored hash and the password under a per-process key: nothing reversible is kept,
 * and a changed hash (an edited accounts file) no longer matches. Failures are never cached.
 */
export class VerifiedPasswords {
  readonly #key = randomBytes(32);
  readonly #verified = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
    private readonly check: (password: string, stored: string) => Promise<boolean> = verifyPassword,
  ) {}

  async verify(password: string, stored: string): Promise<boolean> {
    const entry = createHmac("sha256", this.#key).update(stored).update("\0").update(password).digest("base64");
    const until = this.#verified.get(entry);
    if (until !== undefined && until > this.now()) return true;
    this.#verified.delete(entry);
    if (!(await this.check(password, stored))) return false;
    if (this.#verified.size >= this.maxEntries) this.#verified.delete(this.#verified.keys().next().value as string);
    this.#verified.set(entry, this.now() + this.ttlMs);
    return true;
  }
}
