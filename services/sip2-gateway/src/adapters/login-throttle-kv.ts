import { type Logger, whileJetStreamSettles, within } from "@circulate/runtime";
import { type KV, type KvEntry, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterFailure, type LoginFailures, LoginThrottle, type Throttle, type ThrottleOptions } from "../app/login-throttle.js";

/** `<STREAM_PREFIX>_LOGINS`: failed logins per address, shared by every gateway replica. */
export function loginBucketName(streamPrefix: string): string {
  return `${streamPrefix}_LOGINS`.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** KV keys allow `[-/_=.a-zA-Z0-9]`; an IPv6 address has colons. */
const keyOf = (address: string) => Buffer.from(address, "utf8").toString("base64url") || "_";
const addressOf = (key: string) => Buffer.from(key, "base64url").toString("utf8");

const MAX_ATTEMPTS = 5;

/**
 * Login throttling that holds across gateway replicas: an address locked out
 * by failures at one replica is locked out at all of them. Each replica keeps
 * the whole table in memory (a session's check stays synchronous) and watches
 * the bucket for the others' writes; a failure is added to the shared count
 * with a compare-and-set, so concurrent failures at two replicas both count.
 * Entries expire with the bucket's TTL (window plus lock-out). While NATS is
 * unreachable each replica goes on counting on its own.
 */
export class KvLoginThrottle implements Throttle {
  #watch: { stop(): void } | undefined;

  private constructor(
    private readonly local: LoginThrottle,
    private readonly kv: KV,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  static async open(
    nc: NatsConnection,
    streamPrefix: string,
    options: ThrottleOptions,
    logger: Logger,
    timeoutMs = 1_000,
    replicas = 1,
  ): Promise<KvLoginThrottle> {
    const kv = await whileJetStreamSettles(() => new Kvm(nc).create(loginBucketName(streamPrefix), { history: 1, ttl: options.windowMs + options.lockoutMs, replicas }));
    const throttle = new KvLoginThrottle(new LoginThrottle(options), kv, logger, timeoutMs);
    await throttle.#follow();
    return throttle;
  }

  isLocked(address: string): boolean {
    return this.local.isLocked(address);
  }

  recordFailure(address: string): void {
    this.local.recordFailure(address);
    void this.#share(address).catch((err: unknown) => this.logger.warn({ err }, "failed login not shared with other gateways"));
  }

  recordSuccess(address: string): void {
    this.local.recordSuccess(address);
    void within(this.kv.delete(keyOf(address)), this.timeoutMs, "login throttle clear").catch((err: unknown) =>
      this.logger.warn({ err }, "cleared failed logins not shared with other gateways"),
    );
  }

  /** Stops following the other replicas' writes. */
  stop(): void {
    this.#watch?.stop();
  }

  /** Adds one failure to the shared count (retrying when another replica wrote first), then takes the result. */
  async #share(address: string): Promise<void> {
    const key = keyOf(address);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const entry = await within(this.kv.get(key), this.timeoutMs, "login throttle read");
      const before = entry?.operation === "PUT" ? parseFailures(entry) : undefined;
      const next = afterFailure(before, Date.now(), this.local.options);
      const value = JSON.stringify(next);
      try {
        if (entry) await within(this.kv.update(key, value, entry.revision), this.timeoutMs, "login throttle write");
        else await within(this.kv.create(key, value), this.timeoutMs, "login throttle write");
        this.local.adopt(address, next);
        return;
      } catch (err) {
        if (attempt === MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Mirrors the bucket: what is in it now, then every change any replica makes. */
  async #follow(): Promise<void> {
    const watch = await this.kv.watch();
    this.#watch = watch;
    void (async () => {
      for await (const entry of watch) {
        this.local.adopt(addressOf(entry.key), entry.operation === "PUT" ? parseFailures(entry) : undefined);
      }
    })().catch((err: unknown) => this.logger.warn({ err }, "login throttle watch ended"));
  }
}

function parseFailures(entry: KvEntry): LoginFailures | undefined {
  try {
    const v = JSON.parse(entry.string()) as Partial<LoginFailures>;
    if (typeof v.failures === "number" && typeof v.firstAt === "number" && typeof v.lockedUntil === "number") {
      return { failures: v.failures, firstAt: v.firstAt, lockedUntil: v.lockedUntil };
    }
  } catch {
    // An unreadable entry counts as no failures.
  }
  return undefined;
}
