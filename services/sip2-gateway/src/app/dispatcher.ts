import { publishCommand } from "@circulate/commandbus";
import { answersOnlyItsAttempt, type commands } from "@circulate/contracts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";

type Outcome = commands.Outcome;

interface Waiter {
  /** The attempt's correlation id. */
  readonly attempt: string;
  readonly resolve: (o: Outcome) => void;
}

/**
 * Sends command envelopes on NATS and hands each outcome delivered to the
 * reply sink to the requests waiting for it, by command id: every attempt of
 * one command learns a decision. But "not decided in time" answers only the
 * attempt it was sent for (by correlation id): the late refusal of a first
 * attempt must not tell a retry that its command failed while it is applied.
 */
export class Dispatcher {
  readonly #waiting = new Map<string, Waiter[]>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Commands waiting for an outcome right now. */
  get inFlight(): number {
    return this.#waiting.size;
  }

  /** For the reply sink: false when nobody waits (late or duplicate delivery; it is dropped). */
  deliver(outcome: Outcome): boolean {
    const waiters = this.#waiting.get(outcome.commandId);
    if (!waiters) return false;
    const answered = answersOnlyItsAttempt(outcome) ? waiters.filter((w) => w.attempt === outcome.correlationId) : waiters;
    if (answered.length === 0) return false;
    this.#forget(outcome.commandId, answered);
    for (const w of answered) w.resolve(outcome);
    return true;
  }

  /** Publishes and waits until `answerBy` (epoch ms); never rejects. */
  send(envelope: commands.CommandEnvelope, answerBy: number): Promise<Outcome | "timeout" | "unavailable"> {
    const id = envelope.commandId;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        attempt: envelope.correlationId,
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      const timer = setTimeout(
        () => {
          this.#forget(id, [waiter]);
          resolve("timeout");
        },
        Math.max(0, answerBy - Date.now()),
      );
      this.#waiting.set(id, [...(this.#waiting.get(id) ?? []), waiter]);
      try {
        publishCommand(this.nc, envelope, this.prefix);
      } catch (err) {
        this.logger.warn({ err, commandId: id }, "command could not be published");
        clearTimeout(timer);
        this.#forget(id, [waiter]);
        resolve("unavailable");
      }
    });
  }

  #forget(id: string, gone: readonly Waiter[]): void {
    const left = (this.#waiting.get(id) ?? []).filter((w) => !gone.includes(w));
    if (left.length > 0) this.#waiting.set(id, left);
    else this.#waiting.delete(id);
  }
}
