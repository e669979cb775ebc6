import { describe, expect, it } from "vitest";
import { createScryptPinHasher, encodePinHash, MalformedPinHashError, parsePinHash } from "./pin-hasher.js";

// Low cost keeps the suite fast; one test uses the defaults.
const hasher = createScryptPinHasher({ N: 2 ** 10 });

describe("scrypt PIN hasher", () => {
  it("verifies the right PIN and rejects a wrong one", async () => {
    const encoded = await hasher.hash("1234");
    expect(await hasher.verify("1234", encoded)).toBe(true);
    expect(await hasher.verify("1235", encoded)).toBe(false);
    expect(await hasher.verify("12345", encoded)).toBe(false);
  });

  it("salts every hash: the same PIN hashes differently each time, and both verify", async () => {
    const a = await hasher.hash("0000");
    const b = await hasher.hash("0000");
    expect(a).not.toBe(b);
    expect(parsePinHash(a).salt.equals(parsePinHash(b).salt)).toBe(false);
    expect(await hasher.verify("0000", a)).toBe(true);
    expect(await hasher.verify("0000", b)).toBe(true);
  });

  it("encodes scrypt$N$r$p$salt$hash with the parameters it used", async () => {
    const encoded = await hasher.hash("1234");
    expect(encoded).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    const parsed = parsePinHash(encoded);
    expect(parsed).toMatchObject({ N: 1024, r: 8, p: 1 });
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.hash).toHaveLength(32);
    expect(encodePinHash(parsed)).toBe(encoded);
  });

  it("uses Node's scrypt defaults (N = 2^14, r = 8, p = 1) unless told otherwise", async () => {
    const encoded = await createScryptPinHasher().hash("1234");
    expect(parsePinHash(encoded)).toMatchObject({ N: 16384, r: 8, p: 1 });
  });

  it("verifies hashes made with other parameters, so parameters can be raised later", async () => {
    const old = await createScryptPinHasher({ N: 2 ** 11, r: 4, keyBytes: 24 }).hash("4321");
    expect(await hasher.verify("4321", old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash("4321"))).toBe(false);
  });

  it("treats a malformed stored hash as broken data, never as a wrong PIN", async () => {
    for (const bad of [
      "",
      "bcrypt$2$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g", // N not a power of two
      "scrypt$2097152$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g", // N above the bound
      "scrypt$1024$8$1$c2Fsd$aGFzaGhhc2hoYXNoaGFzaGhhc2g", // salt too short
      "scrypt$1024$8$1$c2FsdHNhbHQ$aGFzaA", // hash too short
      "scrypt$1024$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaGhhc2g", // not base64url
      "scrypt$01024$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
      "scrypt$1024$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g$extra",
    ]) {
      expect(() => parsePinHash(bad), bad).toThrow(MalformedPinHashError);
    }
    await expect(hasher.verify("1234", "scrypt$nope")).rejects.toThrow(MalformedPinHashError);
  });

  it("refuses to hash an empty PIN and never matches one", async () => {
    await expect(hasher.hash("")).rejects.toThrow(RangeError);
    expect(await hasher.verify("", await hasher.hash("1234"))).toBe(false);
  });

  it("rejects unsafe parameters at construction", () => {
    expect(() => createScryptPinHasher({ N: 1000 })).toThrow(RangeError);
    expect(() => createScryptPinHasher({ saltBytes: 4 })).toThrow(RangeError);
  });
});
