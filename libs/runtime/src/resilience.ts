import type { Logger } from "pino";

/**
 * NATS client settings for every Circulate process: reconnect for as long as the process runs
 * (the client's default gives up after ten attempts, about 20 s, and a closed connection never
 * comes back), with jitter so a fleet of processes does not reconnect in lock step. Plain
 * values, spread into `connect()` of `@nats-io/transport-node`.
 */
export const NATS_RECONNECT = {
  maxReconnectAttempts: -1,
  reconnectTimeWait: 1_000,
  reconnectJitter: 500,
  reconnectJitterTLS: 1_000,
} as const;

/**
 * Logs a dependency's trouble once when it starts and once when it ends, instead of one line per
 * failed retry: an outage of a minute is two lines, with how long it lasted and how many
 * attempts failed.
 */
export class OutageLog {
  #since: number | undefined;
  #failures = 0;

  constructor(
    private readonly logger: Logger,
    /** What is failing, e.g. "relay" or "consumer item-from-loan". */
    private readonly what: string,
    private readonly fields: Record<string, unknown> = {},
  ) {}

  get failing(): boolean {
    return this.#since !== undefined;
  }

  failed(err: unknown): void {
    this.#failures++;
    if (this.#since !== undefined) return void this.logger.debug({ ...this.fields, err }, `${this.what} still failing`);
    this.#since = Date.now();
    this.logger.warn({ ...this.fields, err }, `${this.what} failing; retrying with backoff`);
  }

  recovered(): void {
    if (this.#since === undefined) return;
    this.logger.info({ ...this.fields, downMs: Date.now() - this.#since, failures: this.#failures }, `${this.what} recovered`);
    this.#since = undefined;
    this.#failures = 0;
  }
}

/** A probe that keeps checking a dependency in the background; `ok()` answers from its last result. */
export interface Probe {
  ok(): boolean;
  stop(): void;
}

/** `work`, or a rejection once it has taken longer than `ms`: a dependency that hangs is a dependency that failed. */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `check` every `intervalMs` (a check that takes longer than `timeoutMs` counts as failed),
 * so readiness answers from a result at most about one interval old without a query per
 * request, and `onChange` hears each change (logging, metrics). Starts optimistic: the process
 * checked its dependencies while starting.
 */
export function startProbe(
  check: () => Promise<unknown>,
  options: { intervalMs?: number; timeoutMs?: number; onChange?: (ok: boolean, err?: unknown) => void } = {},
): Probe {
  const intervalMs = options.intervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  let ok = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const once = async () => {
    let result = true;
    let error: unknown;
    try {
      await within(check(), timeoutMs, "probe");
    } catch (err) {
      result = false;
      error = err;
    }
    if (result !== ok && !stopped) {
      ok = result;
      options.onChange?.(ok, error);
    }
  };
  const loop = () => {
    timer = setTimeout(() => {
      void once().finally(() => {
        if (!stopped) loop();
      });
    }, intervalMs);
    timer.unref();
  };
  loop();
  return {
    ok: () => ok,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The part of a NATS connection {@link watchNats} reads (structural: no NATS dependency here). */
export interface NatsStatusSource {
  status(): AsyncIterable<{ type: string }>;
  isClosed(): boolean;
}

/**
 * Whether a NATS connection is connected right now, from its status events, logging each
 * disconnect and reconnect once. `isClosed()` alone is not enough: a connection that is
 * reconnecting is not closed, yet nothing it publishes arrives.
 */
export function watchNats(nc: NatsStatusSource, logger: Logger, onChange?: (connected: boolean) => void): { connected(): boolean } {
  let connected = true;
  let since = 0;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" && connected) {
        connected = false;
        since = Date.now();
        logger.warn("nats disconnected; reconnecting");
        onChange?.(false);
      } else if (s.type === "reconnect" && !connected) {
        connected = true;
        logger.info({ downMs: Date.now() - since }, "nats reconnected");
        onChange?.(true);
      }
    }
  })();
  return { connected: () => connected && !nc.isClosed() };
}

/**
 * JetStream not answering yet, rather than refusing: a cluster electing its leaders (after a
 * start or a lost node) times out, has no responders, or says it is temporarily unavailable
 * (API error 10008) for a few seconds.
 */
export function isJetStreamSettling(error: unknown): boolean {
  const e = error as { name?: string; code?: unknown } | undefined;
  if (e?.name === "JetStreamApiError" && e.code === 10_008) return true;
  return e?.name === "TimeoutError" || e?.name === "NoRespondersError" || e?.name === "JetStreamNotEnabled";
}

/**
 * Runs `work` (a stream or bucket created at start), asking again while JetStream is still
 * settling, for up to `settleMs` (default 60 s): a process started together with its NATS
 * cluster must not exit for being early. Any other error is thrown at once.
 */
export async function whileJetStreamSettles<T>(work: () => Promise<T>, settleMs = 60_000): Promise<T> {
  const until = Date.now() + settleMs;
  for (let pause = 100; ; pause = Math.min(2 * pause, 2_000)) {
    try {
      return await work();
    } catch (error) {
      if (!isJetStreamSettling(error) || Date.now() + pause > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
