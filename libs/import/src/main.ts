/**
 * Entry point of `circulate-import`: wires the process to {@link runCli}.
 * From source: `node --conditions=@circulate/source --import tsx src/main.ts <input>`;
 * `bin/circulate-import.mjs` imports the built `dist/main.js`.
 */
import { runCli } from "./cli.js";

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
} catch (e) {
  process.stderr.write(`circulate-import: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
