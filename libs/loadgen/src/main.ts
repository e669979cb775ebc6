/**
 * Entry point of `circulate-loadgen`: wires the process to {@link runCli}. Ctrl-C
 * once stops new sessions (those under way finish and return their items, then
 * the report is printed); a second Ctrl-C exits at once.
 * Run from source with `node --conditions=@circulate/source --import tsx src/main.ts`;
 * `bin/loadgen.mjs` imports the built `dist/main.js`.
 */
import { runCli } from "./cli.js";

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onStart: (budget) => {
      process.once("SIGINT", () => {
        process.stderr.write("circulate-loadgen: stopping after the sessions under way (Ctrl-C again to quit now)\n");
        budget.stop();
        process.once("SIGINT", () => process.exit(130));
      });
    },
  });
} catch (e) {
  process.stderr.write(`circulate-loadgen: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
