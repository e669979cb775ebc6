import { createLogger, gracefulShutdown, readEnv, runMain } from "@circulate/runtime";
import { startConsole } from "./console.js";
import { consoleSettings } from "./settings.js";

// Composition root: the settings (every problem named at once, exit 78), then the console until SIGINT/SIGTERM.
await runMain(async () => {
  const e = readEnv(process.env);
  const config = consoleSettings(e);
  e.done();
  const logger = createLogger({ service: "console", level: config.logLevel, pretty: config.prettyLogs });
  const running = await startConsole(config, { logger });
  gracefulShutdown(logger, [{ name: "console", close: () => running.stop() }]);
});
