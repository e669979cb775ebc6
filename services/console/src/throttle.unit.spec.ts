import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./throttle.js";

describe("login throttling", () => {
  const policy = { perName: 3, perAddress: 5, windowMs: 60_000 };

  it("refuses a name after its failures reach the limit, until the oldest leaves the window", () => {
    let now = 0;
    const t = new LoginThrottle(policy, () => now);
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(t.retryAfterMs("Ada", "10.0.0.1")).toBe(0);
      t.failed("Ada", `10.0.0.${at}`);
    }
    now = 30_000;
    expect(t.retryAfterMs("ada", "10.0.0.9")).toBe(30_000);
    now = 60_001;
    expect(t.retryAfterMs("ada", "10.0.0.9")).toBe(0);
  });

  it("refuses an address after failures for any names reach its limit", () => {
    const t = new LoginThrottle(policy, () => 0);
    for (let i = 0; i < 5; i++) t.failed(`name${i}`, "10.0.0.1");
    expect(t.retryAfterMs("someone-else", "10.0.0.1")).toBe(60_000);
    expect(t.retryAfterMs("someone-else", "10.0.0.2")).toBe(0);
  });

  it("forgets a name's failures when it signs in", () => {
    const t = new LoginThrottle(policy, () => 0);
    for (let i = 0; i < 3; i++) t.failed("ada", `10.0.0.${i}`);
    t.succeeded("ada");
    expect(t.retryAfterMs("ada", "10.0.0.9")).toBe(0);
  });
});
