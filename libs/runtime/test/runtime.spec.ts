import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, createLogger, readEnv, startOpsServer } from "../src/index.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe("logger", () => {
  it("never writes a PIN or password, at any depth we log", () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: "t" }, stream);
    log.info({ pin: "1234", command: { patron: "P1", pin: "4321", terminal: { password: "kiosk1pw" } } }, "checkout");
    log.info({ request: { fields: { patronPassword: "9999" } } }, "raw");
    const out = lines.join("");
    for (const secret of ["1234", "4321", "kiosk1pw", "9999"]) expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: "t", msg: "checkout", command: { patron: "P1" } });
  });
});

describe("logger and errors", () => {
  // Shaped like a gRPC ServiceError: its Metadata keeps headers in a Map and reads them in toJSON.
  class Metadata {
    readonly internalRepr = new Map([["x-trace", ["t1"]]]);
    toJSON() {
      return Object.fromEntries(this.internalRepr);
    }
  }
  const grpcError = () =>
    Object.assign(new Error("14 UNAVAILABLE: No connection established"), { code: 14, details: "No connection established", metadata: new Metadata() });

  it("logs the cause of an error that carries a class instance (gRPC metadata), not an unserializable placeholder", () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: "t" }, stream);
    log.warn({ err: grpcError(), replyTo: "127.0.0.1:7100" }, "outcome could not be delivered");
    log.child({ commandId: "c1" }).error({ err: new Error("wrapped", { cause: grpcError() }) }, "command failed");
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ type: "Error", message: "14 UNAVAILABLE: No connection established", code: 14, details: "No connection established" });
    expect(first.err.metadata).toEqual({ "x-trace": ["t1"] });
    expect(second.err.message).toContain("14 UNAVAILABLE");
    expect(lines.join("")).not.toContain("unable to serialize");
  });

  it("still redacts secrets inside an error", () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: "t" }, stream);
    log.warn({ err: Object.assign(grpcError(), { request: { password: "kiosk1pw" } }) }, "failed");
    expect(lines.join("")).not.toContain("kiosk1pw");
  });
});

describe("config", () => {
  it("fails fast naming every missing or invalid variable", () => {
    const env = readEnv({ PORT: "abc", MODE: "x" });
    env.string("NATS_URL");
    env.int("PORT", 1);
    env.oneOf("MODE", ["a", "b"] as const);
    expect(() => env.done()).toThrow(ConfigError);
    try {
      env.done();
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(3);
    }
  });

  it("uses defaults and parses values", () => {
    const env = readEnv({ PORT: "7001", TLS: "yes" });
    expect(env.int("PORT", 1, { min: 1, max: 65535 })).toBe(7001);
    expect(env.bool("TLS", false)).toBe(true);
    expect(env.string("HOST", "127.0.0.1")).toBe("127.0.0.1");
    expect(() => env.done()).not.toThrow();
  });
});

describe("ops server", () => {
  it("serves health, readiness from real checks, and Prometheus metrics", async () => {
    let dbUp = true;
    const ops = await startOpsServer({ port: 0, readiness: { db: () => dbUp } });
    try {
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
      dbUp = false;
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(503);
      dbUp = true;
      ops.setDraining(true);
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(503);
      const metrics = await (await fetch(`${ops.url}/metrics`)).text();
      expect(metrics).toContain("process_cpu_user_seconds_total");
    } finally {
      await ops.close();
    }
  });
});
