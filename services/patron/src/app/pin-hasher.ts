import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { PinHasher } from "../domain/pin-hash.js";

/**
 * scrypt cost parameters. Defaults are Node's own (N = 2^14, r = 8, p = 1).
 * Measured on the 2-core dev machine: about 55 ms of CPU per hash or verify at
 * the default, 15 ms at N = 2^12. Every PIN check costs one, so this is the
 * dominant cost of a checkout that carries a PIN; tune with care (README).
 */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

export interface ScryptPinHasherOptions extends Partial<ScryptParams> {
  readonly saltBytes?: number;
  readonly keyBytes?: number;
}

export interface ParsedPinHash extends ScryptParams {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** A stored hash that cannot be read: corrupt data or a foreign format, never a wrong PIN. */
export class MalformedPinHashError extends Error {
  override readonly name = "MalformedPinHashError";
}

const PREFIX = "scrypt";
// Bounds on what a stored hash may ask for, so a corrupt or hostile value
// cannot make one verification allocate gigabytes or run for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MIN_SALT_BYTES = 8;
const MIN_KEY_BYTES = 16;
const B64 = /^[A-Za-z0-9_-]+$/;
const DIGITS = /^[1-9]\d{0,9}$/;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function checkParams({ N, r, p }: ScryptParams): void {
  if (!isPowerOfTwo(N) || N > MAX_N) throw new RangeError(`scrypt N must be a power of two in 2..${MAX_N}: ${N}`);
  if (!Number.isInteger(r) || r < 1 || r > MAX_R) throw new RangeError(`scrypt r must be in 1..${MAX_R}: ${r}`);
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) throw new RangeError(`scrypt p must be in 1..${MAX_P}: ${p}`);
}

/**
 * Encoded form `scrypt$N$r$p$salt$hash`, salt and hash in unpadded base64url.
 * The parameters travel with each hash (the "version"), so they can be raised
 * later and old hashes still verify; `needsRehash` tells the app when to
 * replace one after a successful check.
 */
export function encodePinHash(parsed: ParsedPinHash): string {
  return [PREFIX, parsed.N, parsed.r, parsed.p, parsed.salt.toString("base64url"), parsed.hash.toString("base64url")].join("$");
}

/** Reads an encoded hash; throws {@link MalformedPinHashError} if it is not one this hasher wrote. */
export function parsePinHash(encoded: string): ParsedPinHash {
  const parts = encoded.split("$");
  const [prefix, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || prefix !== PREFIX) throw new MalformedPinHashError("not an scrypt PIN hash");
  if (!DIGITS.test(n!) || !DIGITS.test(r!) || !DIGITS.test(p!)) throw new MalformedPinHashError("bad scrypt parameters");
  if (!B64.test(salt!) || !B64.test(hash!)) throw new MalformedPinHashError("bad salt or hash encoding");
  const parsed = {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt!, "base64url"),
    hash: Buffer.from(hash!, "base64url"),
  };
  try {
    checkParams(parsed);
  } catch (e) {
    throw new MalformedPinHashError((e as Error).message);
  }
  if (parsed.salt.length < MIN_SALT_BYTES) throw new MalformedPinHashError("salt too short");
  if (parsed.hash.length < MIN_KEY_BYTES) throw new MalformedPinHashError("hash too short");
  return parsed;
}

function derive(pin: string, salt: Buffer, keyBytes: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) would reject
    // N = 2^15, r = 8, so the limit follows the parameters (bounded above).
    scrypt(pin, salt, keyBytes, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * The scrypt {@link PinHasher}: a fresh random salt per PIN, constant-time
 * comparison, parameters encoded with every hash.
 */
export function createScryptPinHasher(options: ScryptPinHasherOptions = {}): PinHasher {
  const params: ScryptParams = { N: options.N ?? 2 ** 14, r: options.r ?? 8, p: options.p ?? 1 };
  const saltBytes = options.saltBytes ?? 16;
  const keyBytes = options.keyBytes ?? 32;
  checkParams(params);
  if (saltBytes < MIN_SALT_BYTES) throw new RangeError(`saltBytes must be at least ${MIN_SALT_BYTES}`);
  if (keyBytes < MIN_KEY_BYTES) throw new RangeError(`keyBytes must be at least ${MIN_KEY_BYTES}`);

  return {
    async hash(pin) {
      // An empty PIN means "none given" everywhere else; storing one would
      // let an empty AD field pass a PIN check.
      if (pin === "") throw new RangeError("refusing to hash an empty PIN");
      const salt = randomBytes(saltBytes);
      const hash = await derive(pin, salt, keyBytes, params);
      return encodePinHash({ ...params, salt, hash });
    },

    async verify(pin, encoded) {
      const stored = parsePinHash(encoded);
      if (pin === "") return false;
      // Same length as the stored hash, so timingSafeEqual never throws and
      // hashes written with another key length still verify.
      const candidate = await derive(pin, stored.salt, stored.hash.length, stored);
      return timingSafeEqual(candidate, stored.hash);
    },

    needsRehash(encoded) {
      const stored = parsePinHash(encoded);
      return (
        stored.N !== params.N ||
        stored.r !== params.r ||
        stored.p !== params.p ||
        stored.salt.length !== saltBytes ||
        stored.hash.length !== keyBytes
      );
    },
  };
}
