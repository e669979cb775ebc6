import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_NAMESPACE, UsageError } from "../src/library.js";
import { OWN_NAMESPACE } from "../src/plan.js";
import { readStartSettings } from "../src/settings.js";

const dir = mkdtempSync(path.join(tmpdir(), "start-settings-"));
writeFileSync(path.join(dir, "lib.json"), "{}");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems `pnpm start` reports for these flags and variables; [] when it would start. */
function problems(argv: string[], env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    readStartSettings(argv, env, dir);
    return [];
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return err.problems;
  }
}

describe("pnpm start's flags and variables", () => {
  it("start the demo by default at the info level, and take a library relative to the caller", () => {
    expect(readStartSettings([], {}, dir)).toEqual({ logLevel: "info", choice: expect.objectContaining({ kind: "demo", namespace: DEMO_NAMESPACE }) });
    const own = readStartSettings(["--library", "lib.json", "--log-level=debug"], { LOG_LEVEL: "warn" }, dir);
    expect(own).toEqual({ logLevel: "debug", choice: expect.objectContaining({ kind: "own", importFrom: path.join(dir, "lib.json"), namespace: OWN_NAMESPACE }) });
    expect(readStartSettings([], { LOG_LEVEL: "warn", POSTGRES_URL: "postgresql://u:secret@db:6543/x", NATS_URL: "nats://n:4222" }, dir).logLevel).toBe("warn");
  });

  it("name every problem at once: flags, the log level, the library, the URLs and the demo variable", () => {
    const found = problems(["--bogus", "extra", "--keep=yes", "--library", path.join(dir, "missing.json")], {
      LOG_LEVEL: "verbose",
      POSTGRES_URL: "postgres://u:secret@db:99999/x",
      NATS_URL: "http://n:4222",
      CIRCULATE_KEEP_DEMO: "maybe",
    });
    expect(found).toEqual([
      "unknown option --bogus",
      'unexpected argument "extra"',
      "--keep takes no value",
      'LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent',
      `--library ${path.join(dir, "missing.json")}: no such file or directory`,
      "POSTGRES_URL must be a postgres://host[:port] URL (postgres: or postgresql:); it is not a URL (is the port a number from 1 to 65535?)",
      "NATS_URL must be a nats://host[:port] URL (nats: or tls:), not http:",
      'CIRCULATE_KEEP_DEMO must be true or false, not "maybe"',
    ]);
    // A URL may carry a password: it is never repeated back.
    expect(found.join("\n")).not.toContain("secret");
  });

  it("blame the flag, not the variable, when --log-level is what is wrong", () => {
    expect(problems(["--log-level", "loud"], { LOG_LEVEL: "info" })).toEqual(['--log-level "loud" is not one of fatal, error, warn, info, debug, trace, silent']);
    expect(problems(["--log-level"])).toEqual(["--log-level needs a value"]);
  });

  it("refuse a directory without a library.json, and contradicting flags together with it", () => {
    expect(problems(["--library", ".", "--no-demo", "--keep"])).toEqual([
      "--library .: a directory needs a library.json",
      "--library and --no-demo exclude each other: --library loads your library, --no-demo loads none",
      "--keep is for the demo; your own library is never reset",
    ]);
    expect(problems([], { NATS_URL: "nats://127.0.0.1:0" })).toEqual(["NATS_URL: port 0 is not a port to connect to"]);
  });
});
