import type { ServiceName } from "@circulate/contracts";
import type { DurableConsumer } from "@circulate/eventstore";
import { Gauge, type Registry } from "prom-client";

/** Facts from a peer are not current enough to decide on; nothing was decided. */
export class ProjectionBehindError extends Error {
  override readonly name = "ProjectionBehindError";
}

/** What handlers call before reading peers' facts from their own tables. */
export interface PeerProjections {
  /**
   * Resolves once this service's consumers of `from` have applied everything
   * those peers' streams held at the call (so a kiosk sees what it was already
   * told); rejects with {@link ProjectionBehindError} when that takes longer
   * than `budgetMs`, or the position cannot be asked (NATS down).
   */
  caughtUp(from: readonly ServiceName[], deadline: Date): Promise<void>;
}

/** Default lag (events not yet applied) over which a service reports not ready. */
export const DEFAULT_MAX_PROJECTION_LAG = 1_000;

/** The service's consumers of peer events: barrier, lag metric and readiness. */
export class Projections implements PeerProjections {
  readonly #consumers: Array<{ from: ServiceName; consumer: DurableConsumer }> = [];

  add(from: ServiceName, consumer: DurableConsumer): void {
    this.#consumers.push({ from, consumer });
  }

  async caughtUp(from: readonly ServiceName[], deadline: Date): Promise<void> {
    const budgetMs = Math.max(0, deadline.getTime() - Date.now());
    const asked = this.#consumers.filter((c) => from.includes(c.from));
    const done = await Promise.all(asked.map((c) => c.consumer.position.caughtUp(budgetMs)));
    const behind = asked.filter((_, i) => !done[i]).map((c) => c.consumer.checkpointName);
    if (behind.length > 0) throw new ProjectionBehindError(`projections not caught up within ${budgetMs} ms: ${behind.join(", ")}`);
  }

  /** Events each consumer has yet to apply (-1: could not ask). */
  async lags(): Promise<Record<string, number>> {
    const lags = await Promise.all(this.#consumers.map((c) => c.consumer.position.lag()));
    return Object.fromEntries(this.#consumers.map((c, i) => [c.consumer.checkpointName, lags[i]!]));
  }

  /**
   * Ready while no consumer is known to be more than `maxLag` events behind.
   * A lag JetStream did not tell (-1) does not count: NATS being unreachable is
   * the `nats` check's to say, and right after it returns the answer may lag.
   */
  async withinLag(maxLag: number): Promise<boolean> {
    return Object.values(await this.lags()).every((lag) => lag <= maxLag);
  }

  /** `circulate_projection_lag_events{consumer}`, asked of the server at each scrape. */
  register(registry: Registry): void {
    const lags = () => this.lags();
    new Gauge({
      name: "circulate_projection_lag_events",
      help: "Peer events not yet applied to this service's projections, per consumer (-1: NATS could not be asked)",
      labelNames: ["consumer"],
      registers: [registry],
      async collect() {
        for (const [consumer, lag] of Object.entries(await lags())) this.set({ consumer }, lag);
      },
    });
  }
}
