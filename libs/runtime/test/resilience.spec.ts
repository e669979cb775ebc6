import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { OutageLog, startProbe, whileJetStreamSettles } from "../src/index.js";

function capture() {
  const lines: { level: number; msg: string; failures?: number }[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { lines, logger: pino({ level: "info" }, stream) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("OutageLog", () => {
  it("a minute of failed retries is two lines: when it started and when it ended, with the count", async () => {
    const { lines, logger } = capture();
    const log = new OutageLog(logger, "relay");
    for (let i = 0; i < 60; i++) log.failed(new Error("Connection terminated unexpectedly"));
    log.recovered();
    log.recovered();
    await sleep(10);
    expect(lines.map((l) => l.msg)).toEqual(["relay failing; retrying with backoff", "relay recovered"]);
    expect(lines[1]!.failures).toBe(60);
  });
});

describe("startProbe", () => {
  it("answers from its last check, follows the dependency down and up, and reports each change once", async () => {
    let up = true;
    const changes: boolean[] = [];
    const probe = startProbe(async () => {
      if (!up) throw new Error("ECONNREFUSED");
    }, { intervalMs: 20, onChange: (ok) => changes.push(ok) });
    try {
      await sleep(80);
      expect(probe.ok()).toBe(true);
      up = false;
      await sleep(120);
      expect(probe.ok()).toBe(false);
      up = true;
      await sleep(120);
      expect(probe.ok()).toBe(true);
      expect(changes).toEqual([false, true]);
    } finally {
      probe.stop();
    }
  });

  it("counts a check that hangs longer than its timeout as failed", async () => {
    const probe = startProbe(() => new Promise(() => {}), { intervalMs: 10, timeoutMs: 30 });
    try {
      await sleep(150);
      expect(probe.ok()).toBe(false);
    } finally {
      probe.stop();
    }
  });
});

describe("whileJetStreamSettles", () => {
  const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

  it("asks again while JetStream times out, has no responders or is temporarily unavailable, then returns the answer", async () => {
    const failures = [named("TimeoutError"), named("NoRespondersError"), named("JetStreamApiError", { code: 10_008 }), named("JetStreamNotEnabled")];
    let calls = 0;
    const answer = await whileJetStreamSettles(async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return "stream";
    }, 5_000);
    expect({ answer, calls }).toEqual({ answer: "stream", calls: 5 });
  });

  it("throws any other error at once", async () => {
    let calls = 0;
    const refused = named("JetStreamApiError", { code: 10_058 });
    await expect(
      whileJetStreamSettles(async () => {
        calls++;
        throw refused;
      }, 5_000),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it("gives up with the last error once the settling time is over", async () => {
    let calls = 0;
    await expect(
      whileJetStreamSettles(async () => {
        calls++;
        throw named("TimeoutError");
      }, 250),
    ).rejects.toThrow("TimeoutError");
    expect(calls).toBeGreaterThan(1);
  });
});
