import { publishCommand } from "@circulate/commandbus";
import type { commands } from "@circulate/contracts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";

type Outcome = commands.Outcome;

/**
 * Sends command envelopes on NATS and hands each outcome delivered to the
 * reply sink to the request waiting for it. Waiters are keyed by command id:
 * a service replaying a recorded outcome returns the ids of the first attempt.
 */
export class Dispatcher {
  readonly #waiting = new Map<string, ((o: Outcome) => void)[]>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Requests waiting for an outcome right now. */
  get inFlight(): number {
    return this.#waiting.size;
  }

  /** For the reply sink: false when nobody waits (late or duplicate delivery; it is dropped). */
  deliver(outcome: Outcome): boolean {
    const id = this.#waiting.has(outcome.commandId) ? outcome.commandId : outcome.correlationId;
    const waiters = this.#waiting.get(id);
    if (!waiters) return false;
    this.#waiting.delete(id);
    for (const w of waiters) w(outcome);
    return true;
  }

  /** Publishes and waits until `answerBy` (epoch ms); never rejects. */
  send(envelope: commands.CommandEnvelope, answerBy: number): Promise<Outcome | "timeout" | "unavailable"> {
    const id = envelope.commandId;
    return new Promise((resolve) => {
      const waiter = (o: Outcome) => {
        clearTimeout(timer);
        resolve(o);
      };
      const timer = setTimeout(
        () => {
          const list = this.#waiting.get(id)?.filter((w) => w !== waiter);
          if (list && list.length > 0) this.#waiting.set(id, list);
          else this.#waiting.delete(id);
          resolve("timeout");
        },
        Math.max(0, answerBy - Date.now()),
      );
      const list = this.#waiting.get(id);
      if (list) list.push(waiter);
      else this.#waiting.set(id, [waiter]);
      try {
        publishCommand(this.nc, envelope, this.prefix);
      } catch (err) {
        this.logger.warn({ err, commandId: id }, "command could not be published");
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve("unavailable");
      }
    });
  }
}
