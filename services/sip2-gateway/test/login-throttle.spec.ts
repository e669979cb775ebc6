import { createTestNats, type TestNats } from "@circulate/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KvLoginThrottle } from "../src/adapters/login-throttle-kv.js";
import { afterFailure } from "../src/app/login-throttle.js";

const options = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };

describe("failed logins counted for an address", () => {
  it("lock it out at the limit within the window; a window that has passed starts again", () => {
    const first = afterFailure(undefined, 1_000, options);
    expect(first).toEqual({ failures: 1, firstAt: 1_000, lockedUntil: 0 });
    const third = afterFailure(afterFailure(first, 2_000, options), 3_000, options);
    expect(third).toEqual({ failures: 3, firstAt: 1_000, lockedUntil: 303_000 });
    expect(afterFailure(first, 1_000 + 60_001, options)).toEqual({ failures: 1, firstAt: 61_001, lockedUntil: 0 });
  });
});

/** Until `check` holds (another replica's write reaches this one through the bucket's watch). */
async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("not within time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("login throttling shared by gateway replicas (NATS KV)", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let a: KvLoginThrottle;
  let b: KvLoginThrottle;
  const logger = pino({ level: "silent" });

  beforeAll(async () => {
    nats = createTestNats();
    nc = await connect({ servers: nats.url });
    a = await KvLoginThrottle.open(nc, nats.streamPrefix, options, logger);
    b = await KvLoginThrottle.open(nc, nats.streamPrefix, options, logger);
  });
  afterAll(async () => {
    a?.stop();
    b?.stop();
    await nc?.close();
    await nats?.cleanup();
  });

  it("locks an address out at every replica once its failures at all of them reach the limit", async () => {
    const address = "192.0.2.10";
    a.recordFailure(address);
    await eventually(() => !a.isLocked(address));
    b.recordFailure(address);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.isLocked(address) || b.isLocked(address)).toBe(false);
    a.recordFailure(address);
    await eventually(() => a.isLocked(address) && b.isLocked(address));
  });

  it("counts failures made at the same moment at two replicas, an IPv6 address too", async () => {
    const address = "2001:db8::7";
    // Four failures lock; each replica sees only two of its own, so a lost one leaves both open.
    const four = { ...options, maxFailures: 4 };
    const [one, two] = [await KvLoginThrottle.open(nc, nats.streamPrefix, four, logger), await KvLoginThrottle.open(nc, nats.streamPrefix, four, logger)];
    try {
      for (let i = 0; i < 2; i++) {
        one.recordFailure(address);
        two.recordFailure(address);
      }
      await eventually(() => one.isLocked(address) && two.isLocked(address));
    } finally {
      one.stop();
      two.stop();
    }
  });

  it("clears an address at every replica after a good login at one", async () => {
    const address = "192.0.2.11";
    for (let i = 0; i < 3; i++) b.recordFailure(address);
    await eventually(() => a.isLocked(address));
    a.recordSuccess(address);
    await eventually(() => !b.isLocked(address));
  });

  it("a replica started later knows the lock-outs already recorded", async () => {
    const address = "192.0.2.12";
    for (let i = 0; i < 3; i++) a.recordFailure(address);
    await eventually(() => b.isLocked(address));
    const late = await KvLoginThrottle.open(nc, nats.streamPrefix, options, logger);
    try {
      await eventually(() => late.isLocked(address));
    } finally {
      late.stop();
    }
  });
});
