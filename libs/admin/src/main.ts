/**
 * Entry point of `circulate-admin`: wires the process to {@link runCli}.
 * From source: `pnpm admin patron unlock-pin …` (root package.json);
 * `bin/circulate-admin.mjs` imports the built `dist/main.js`.
 */
import { runCli } from "./cli.js";

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
} catch (e) {
  process.stderr.write(`circulate-admin: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
