import { describe, expect, it } from "vitest";
import { hashPassword, VerifiedPasswords, verifyPassword } from "./passwords.js";

describe("verified login passwords", () => {
  it("runs scrypt once for a terminal that logs in again, until the entry expires", async () => {
    const stored = await hashPassword("kiosk1pw");
    let checks = 0;
    let now = 0;
    const passwords = new VerifiedPasswords(60_000, 100, () => now, (pw, h) => {
      checks++;
      return verifyPassword(pw, h);
    });
    expect(await passwords.verify("kiosk1pw", stored)).toBe(true);
    expect(await passwords.verify("kiosk1pw", stored)).toBe(true);
    expect(checks).toBe(1);
    now = 60_001;
    expect(await passwords.verify("kiosk1pw", stored)).toBe(true);
    expect(checks).toBe(2);
  });

  it("never caches a wrong password, and a changed hash does not accept the old password", async () => {
    const stored = await hashPassword("kiosk1pw");
    let checks = 0;
    const passwords = new VerifiedPasswords(60_000, 100, Date.now, (pw, h) => {
      checks++;
      return verifyPassword(pw, h);
    });
    expect(await passwords.verify("wrong", stored)).toBe(false);
    expect(await passwords.verify("wrong", stored)).toBe(false);
    expect(checks).toBe(2);
    expect(await passwords.verify("kiosk1pw", stored)).toBe(true);
    const changed = await hashPassword("new-secret");
    expect(await passwords.verify("kiosk1pw", changed)).toBe(false);
    expect(await passwords.verify("new-secret", changed)).toBe(true);
  });

  it("keeps at most maxEntries, forgetting the oldest", async () => {
    let checks = 0;
    const passwords = new VerifiedPasswords(60_000, 2, Date.now, async () => {
      checks++;
      return true;
    });
    for (const pw of ["a", "b", "c", "a"]) await passwords.verify(pw, "h");
    expect(checks).toBe(4);
  });
});
