import { describe, expect, it } from "vitest";
import { VerifiedSecretCache } from "../src/index.js";

describe("verified PIN cache", () => {
  it("remembers a verified PIN for the TTL and forgets it after", () => {
    let t = 0;
    const cache = new VerifiedSecretCache({ ttlMs: 1000, now: () => t });
    cache.remember("patron-a", "hash1", "1234");
    expect(cache.has("patron-a", "hash1", "1234")).toBe(true);
    expect(cache.has("patron-a", "hash1", "9999")).toBe(false);
    t = 1000;
    expect(cache.has("patron-a", "hash1", "1234")).toBe(false);
    expect(cache.size).toBe(0);
  });

  it("misses once the stored hash changes, so a new PIN set on another replica is never bypassed", () => {
    const cache = new VerifiedSecretCache();
    cache.remember("patron-a", "hash1", "1234");
    expect(cache.has("patron-a", "hash2", "1234")).toBe(false);
  });

  it("forgets a patron on PIN change or lock", () => {
    const cache = new VerifiedSecretCache();
    cache.remember("patron-a", "h", "1234");
    cache.remember("patron-b", "h", "1234");
    cache.forget("patron-a");
    expect(cache.has("patron-a", "h", "1234")).toBe(false);
    expect(cache.has("patron-b", "h", "1234")).toBe(true);
  });

  it("stays bounded, dropping the oldest patrons first", () => {
    const cache = new VerifiedSecretCache({ maxEntries: 2 });
    cache.remember("a", "h", "1");
    cache.remember("b", "h", "1");
    cache.remember("c", "h", "1");
    expect(cache.size).toBe(2);
    expect(cache.has("a", "h", "1")).toBe(false);
    expect(cache.has("c", "h", "1")).toBe(true);
  });

});
