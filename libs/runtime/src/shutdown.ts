import type { Logger } from "pino";

export type Closer = { name: string; close: () => Promise<unknown> | unknown };

/**
 * Runs closers in order on SIGINT / SIGTERM (or when `shutdown()` is called):
 * callers register them so that accepting stops first, in-flight work drains
 * next, and connections close last. A second signal, or the grace period running
 * out, exits at once.
 */
export function gracefulShutdown(logger: Logger, closers: Closer[], graceMs = 15_000) {
  let started: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    if (started) return started;
    logger.info({ reason }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ graceMs }, "shutdown grace period exceeded; exiting");
      process.exit(1);
    }, graceMs);
    timer.unref();
    started = (async () => {
      for (const c of closers) {
        try {
          await c.close();
        } catch (err) {
          logger.warn({ err, closer: c.name }, "closer failed");
        }
      }
      clearTimeout(timer);
      logger.info("stopped");
    })();
    return started;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) process.exit(130);
    void shutdown(signal).then(() => process.exit(0));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return { shutdown };
}
