/**
 * Entry point of the `sip2` command: wires the real process streams to {@link runCli}.
 * Run from source with `node --conditions=@circulate/source --import tsx src/main.ts decode`;
 * `bin/sip2.mjs` imports the built `dist/main.js`.
 */
import { runCli } from "./cli.js";

// `sip2 decode | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
} catch (e) {
  process.stderr.write(`sip2: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
