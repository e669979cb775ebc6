import type { commands } from "@circulate/contracts";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

type Outcome = commands.Outcome;

/** Seconds: a decision takes milliseconds; past a kiosk's timeout it no longer matters how long. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Peer calls are made by free functions ({@link callPeer}) shared by every
 * service, so their histogram is one object that each service's registry
 * holds (one service per process in production).
 */
export const peerCallSeconds = new Histogram({
  name: "circulate_peer_call_duration_seconds",
  help: "Synchronous calls to another service on a command's behalf, by peer, method and result",
  labelNames: ["peer", "method", "result"],
  buckets: LATENCY_BUCKETS,
  registers: [],
});

/** The command pipeline's signals, on the service's `/metrics`. */
export class ServiceMetrics {
  readonly #commands: Counter<"command" | "result" | "reason">;
  readonly #duration: Histogram<"command">;
  readonly #replayed: Counter<"command">;
  readonly #published: Counter<"type">;

  constructor(registry: Registry, relayLag: () => Promise<number>) {
    const registers = [registry];
    this.#commands = new Counter({
      name: "circulate_commands_total",
      help: "Commands answered, by command, result (accepted, refused, replayed, failed) and refusal reason",
      labelNames: ["command", "result", "reason"],
      registers,
    });
    this.#duration = new Histogram({
      name: "circulate_command_duration_seconds",
      help: "Time from taking a command to its committed decision (facts, decider, transaction), by command",
      labelNames: ["command"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#replayed = new Counter({
      name: "circulate_idempotency_hits_total",
      help: "Commands answered from their recorded outcome (a redelivery or a kiosk's retry), by command",
      labelNames: ["command"],
      registers,
    });
    this.#published = new Counter({
      name: "circulate_events_published_total",
      help: "Events the relay put on the service's stream, by type",
      labelNames: ["type"],
      registers,
    });
    new Gauge({
      name: "circulate_relay_lag_events",
      help: "Events committed but not yet on the stream (-1: the database did not answer)",
      registers,
      async collect() {
        this.set(await relayLag().catch(() => -1));
      },
    });
    registry.registerMetric(peerCallSeconds);
  }

  /** Times one command's handler and counts how it ended. */
  async command(name: string, run: () => Promise<Outcome>): Promise<Outcome> {
    const stop = this.#duration.startTimer({ command: name });
    try {
      const outcome = await run();
      this.#counted(name, outcome);
      return outcome;
    } catch (err) {
      this.#commands.inc({ command: name, result: "failed", reason: "" });
      throw err;
    } finally {
      stop();
    }
  }

  published(types: readonly string[]): void {
    for (const type of types) this.#published.inc({ type });
  }

  #counted(name: string, outcome: Outcome): void {
    if (outcome.replayed) {
      this.#replayed.inc({ command: name });
      this.#commands.inc({ command: name, result: "replayed", reason: "" });
      return;
    }
    const result = outcome.result;
    if (result?.$case === "refused") this.#commands.inc({ command: name, result: "refused", reason: result.value.reason });
    else this.#commands.inc({ command: name, result: "accepted", reason: "" });
  }
}
