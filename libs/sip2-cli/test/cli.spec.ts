import { spawn } from "node:child_process";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS, type CliIo, EXIT_USAGE, runCli } from "../src/cli.js";

function io(stdin: string[] = []): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdin: Readable.from(stdin),
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
      once: () => undefined,
    },
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    },
    env: { SIP2_TZ: "Europe/Oslo" },
    out: () => out,
    err: () => err,
  };
}

describe("runCli", () => {
  it("dispatches decode and exits 0", async () => {
    const t = io(["941AY0AZFDFD\r\n"]);
    expect(await runCli(["decode"], t)).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject({ line: 1, code: "94", checksum: "valid" });
  });

  it("exits 0 on bad input: errors are part of the output", async () => {
    const t = io(["\xff\xfe garbage\n", "12\n"]);
    expect(await runCli(["decode"], t)).toBe(0);
    expect(t.out().trim().split("\n")).toHaveLength(2);
  });

  it("reads local dates in --tz, else SIP2_TZ", async () => {
    const oslo = io(["1720250115    103000AOM|ABI|\n"]);
    await runCli(["decode"], oslo);
    expect(JSON.parse(oslo.out()).fixed.transactionDate).toBe("2025-01-15T10:30:00+01:00");
    const ny = io(["1720250115    103000AOM|ABI|\n"]);
    await runCli(["decode", "--tz", "America/New_York"], ny);
    expect(JSON.parse(ny.out()).fixed.transactionDate).toBe("2025-01-15T10:30:00-05:00");
  });

  it("lists the commands for --help and exits 0", async () => {
    const t = io();
    expect(await runCli(["--help"], t)).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(t.out()).toContain(name);
  });

  it("prints decode's usage for decode --help", async () => {
    const t = io();
    expect(await runCli(["decode", "--help"], t)).toBe(0);
    expect(t.out()).toContain("--charset");
  });

  it.each([
    [[], "usage: sip2"],
    [["frobnicate"], "unknown command"],
    [["decode", "--charset", "ebcdic"], "unknown charset"],
    [["decode", "--tz", "Mars/Base"], "unknown time zone"],
    [["decode", "--delimiter", "A"], "delimiter"],
    [["decode", "--bogus"], "bogus"],
    [["decode", "extra"], "extra"],
  ])("exits 2 with a message for a usage error: %j", async (argv, message) => {
    const t = io();
    expect(await runCli(argv, t)).toBe(EXIT_USAGE);
    expect(t.err()).toContain(message);
  });
});

describe("sip2 process", () => {
  it("decodes stdin lines to JSON lines and exits 0 (node --import tsx src/main.ts decode)", async () => {
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", main, "decode", "--tz", "America/New_York"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.stdin.end(
      [
        "9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA\r",
        "11YN20250115    103005                  AOMAIN|AA21234000012345|AB31234000067890|AC|BON|BIN|AY2AZEAB3\r",
        "this is not SIP2",
        "9300CNkiosk1|COs3cret|CPMAIN|AY0AZ0000",
        "",
      ].join("\r\n"),
    );
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const records = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.map((r) => [r.line, r.code ?? null, r.checksum, r.error?.code ?? null])).toEqual([
      [1, "93", "valid", null],
      [2, "11", "valid", null],
      [3, null, "absent", "bad_code"],
      [4, "93", "invalid", null],
    ]);
    expect(records[1].fixed.transactionDate).toBe("2025-01-15T10:30:05-05:00");
  });
});
