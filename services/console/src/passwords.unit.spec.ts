import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";

describe("staff passwords", () => {
  it("are stored as scrypt$N$r$p$salt$hash, salted, and verify only with the same password", async () => {
    const a = await hashPassword("correct horse battery", { N: 1024, r: 8, p: 1 });
    const b = await hashPassword("correct horse battery", { N: 1024, r: 8, p: 1 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct");
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("anything", "plain-text")).toBe(false);
  });

  it("need at least twelve characters", () => {
    expect(passwordProblem("short")).toMatch(/12 characters/);
    expect(passwordProblem("twelve chars")).toBeUndefined();
  });
});
