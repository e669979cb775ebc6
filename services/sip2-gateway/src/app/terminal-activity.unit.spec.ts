import { describe, expect, it } from "vitest";
import { ActivityWindow, percentile } from "./terminal-activity.js";

const T0 = 1_700_000_000_000;

describe("a connection's last minute", () => {
  it("counts requests, ok=0 answers and errors (unavailable, timeouts, 96s) over the last 60 s only", () => {
    const w = new ActivityWindow();
    w.record(T0, "11", "accepted", 40);
    w.record(T0 + 1_000, "11", "refused", 60);
    w.record(T0 + 2_000, "23", "denied", 0);
    w.record(T0 + 3_000, "11", "unavailable", 1);
    w.record(T0 + 4_000, "99", "bad_checksum", 0);
    w.record(T0 + 30_000, "17", "timeout", 4_900);
    expect(w.summary(T0 + 30_000)).toEqual({ requests: 6, refusals: 2, errors: 3, p95Ms: 4_900 });
    // The first two requests' seconds have slid out of the window.
    expect(w.summary(T0 + 61_500)).toMatchObject({ requests: 4, refusals: 1, errors: 3 });
    expect(w.summary(T0 + 91_000)).toEqual({ requests: 0, refusals: 0, errors: 0, p95Ms: null });
  });

  it("times only what went to a service, and keeps the latest 128 latencies whatever the traffic", () => {
    const w = new ActivityWindow();
    w.record(T0, "93", "accepted", 900);
    w.record(T0, "99", "local", 900);
    expect(w.summary(T0).p95Ms).toBeNull();
    for (let i = 0; i < 1_000; i++) w.record(T0 + i, "11", "accepted", i < 800 ? 5_000 : 10);
    // The 5 s answers were before the latest 128.
    expect(w.summary(T0 + 1_000)).toMatchObject({ requests: 1_002, p95Ms: 10 });
  });

  it("takes the nearest-rank percentile", () => {
    expect(percentile([], 0.95)).toBeNull();
    expect(percentile([3, 1, 2], 0.95)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95);
  });
});
