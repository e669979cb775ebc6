/**
 * `pnpm start` with wrong flags or variables, run as the root package.json's start script runs
 * it: one message naming every problem, no stack trace, exit 2, and nothing started.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const script = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start.split(" ");

async function start(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Should a check ever let these through, the start stops at once: nothing listens on port 9.
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", INIT_CWD: ROOT, POSTGRES_URL: "postgres://postgres@127.0.0.1:9/none", NATS_URL: "nats://127.0.0.1:9" };
  return promisify(execFile)(script[0]!, [...script.slice(1), ...args], { cwd: ROOT, env: { ...base, ...env }, timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number | null; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

describe("pnpm start with wrong settings", () => {
  it("names every problem in one message, without a stack trace, and exits 2 before starting anything", async () => {
    const r = await start(["--bogus", "--library", "no/such/library.json"], { LOG_LEVEL: "verbose", POSTGRES_URL: "postgres://postgres:secret@127.0.0.1:99999/x", NATS_URL: "http://127.0.0.1:4222" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "[start] nothing was started:",
        "  unknown option --bogus",
        '  LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent',
        "  --library no/such/library.json: no such file or directory",
        "  POSTGRES_URL must be a postgres://host[:port] URL (postgres: or postgresql:); it is not a URL (is the port a number from 1 to 65535?)",
        "  NATS_URL must be a nats://host[:port] URL (nats: or tls:), not http:",
        "usage: pnpm start [--library FILE|DIR | --no-demo] [--keep] [--log-level fatal|error|warn|info|debug|trace|silent]",
        "",
      ].join("\n"),
    );
  });

  it("says so for a single wrong flag too", async () => {
    const r = await start(["--log-level", "loud"], {});
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").slice(0, 2)).toEqual(["[start] nothing was started:", '  --log-level "loud" is not one of fatal, error, warn, info, debug, trace, silent']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
