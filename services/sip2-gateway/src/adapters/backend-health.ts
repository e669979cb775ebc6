import { pingService } from "@circulate/commandbus";
import { watchNats } from "@circulate/runtime";
import { SERVICE_NAMES, type ServiceName } from "@circulate/contracts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { BackendHealth } from "../app/ports.js";

export interface HealthOptions {
  nc: NatsConnection;
  prefix: string;
  logger: Logger;
  /** How often every service is pinged. */
  intervalMs: number;
  /** How long one ping may take. */
  timeoutMs: number;
  /** Called when a service goes up or down (metrics). */
  onChange?: (service: ServiceName, up: boolean) => void;
}

/**
 * Backend health from the gateway's side: NATS connected, and each owning
 * service answering the command bus's ping. A service is up while a ping
 * succeeded within the last two intervals plus a ping timeout, so a single lost
 * ping does not take the kiosks off-line.
 */
export class PingHealth implements BackendHealth {
  readonly #lastOk = new Map<ServiceName, number>();
  readonly #up = new Map<ServiceName, boolean>();
  #nats: { connected(): boolean } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly options: HealthOptions) {}

  /**
   * Pings once (so the first 98 is truthful), then keeps pinging: every
   * interval, and four times as often while a service is down, so kiosks are
   * served again within moments of its return rather than a whole interval.
   */
  async start(): Promise<void> {
    this.#nats = watchNats(this.options.nc, this.options.logger);
    // A gateway that has just restarted has kiosks resending at once: one lost first ping must
    // not refuse them all, so every service starts with the same grace as after a good ping.
    const started = Date.now();
    for (const s of SERVICE_NAMES) this.#lastOk.set(s, started);
    await this.check();
    const loop = () => {
      const anyDown = SERVICE_NAMES.some((s) => this.#up.get(s) === false);
      this.#timer = setTimeout(() => {
        void this.check().finally(() => {
          if (!this.#stopped) loop();
        });
      }, anyDown ? Math.ceil(this.options.intervalMs / 4) : this.options.intervalMs);
      this.#timer.unref();
    };
    loop();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /**
   * NATS connected right now. A connection that is reconnecting is not closed, yet nothing it
   * publishes arrives: readiness and every refusal follow this, not `isClosed()`.
   */
  natsConnected(): boolean {
    return this.#nats ? this.#nats.connected() : !this.options.nc.isClosed();
  }

  canTake(service: ServiceName): boolean {
    return this.natsConnected() && (this.#up.get(service) ?? false);
  }

  online(): boolean {
    return SERVICE_NAMES.every((s) => this.canTake(s));
  }

  async check(): Promise<void> {
    const { nc, prefix, timeoutMs, intervalMs } = this.options;
    const now = Date.now();
    await Promise.all(
      SERVICE_NAMES.map(async (service) => {
        const ok = !nc.isClosed() && (await pingService(nc, service, prefix, timeoutMs));
        if (ok) this.#lastOk.set(service, Date.now());
        const up = ok || now - (this.#lastOk.get(service) ?? 0) < 2 * intervalMs + timeoutMs;
        if (this.#up.get(service) !== up) {
          this.#up.set(service, up);
          this.options.logger[up ? "info" : "warn"]({ service }, up ? "service reachable" : "service unreachable");
          this.options.onChange?.(service, up);
        }
      }),
    );
  }
}
