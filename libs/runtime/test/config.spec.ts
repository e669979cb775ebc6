import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, grpcTlsFiles, readEnv } from "../src/index.js";

const run = promisify(execFile);
const fixture = path.join(import.meta.dirname, "fixtures", "config-main.ts");

function problemsOf(read: () => void): readonly string[] {
  try {
    read();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("configuration problems", () => {
  it("refuses a log level the logger does not know", () => {
    const e = readEnv({ LOG_LEVEL: "verbose" });
    e.logLevel();
    expect(problemsOf(() => e.done())).toEqual(['LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent']);
    expect(readEnv({}).logLevel()).toBe("info");
  });

  it("names a file that is missing, a directory or unset", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "circulate-config-"));
    const present = path.join(dir, "accounts.yaml");
    writeFileSync(present, "accounts: []\n");
    const e = readEnv({ A: present, B: path.join(dir, "gone.yaml"), C: dir });
    expect(e.file("A")).toBe(present);
    e.file("B");
    e.file("C");
    e.file("D");
    expect(e.file("E", { optional: true })).toBeUndefined();
    expect(problemsOf(() => e.done())).toEqual([
      `B: ${path.join(dir, "gone.yaml")}: no such file`,
      `C: ${dir}: is a directory`,
      "D is required",
    ]);
  });

  it("checks a time zone against the zone data", () => {
    const e = readEnv({ TZ_OK: "America/New_York", TZ_BAD: "Mars/Olympus" });
    expect(e.timeZone("TZ_OK")).toBe("America/New_York");
    expect(e.timeZone("TZ_UNSET", "UTC")).toBe("UTC");
    e.timeZone("TZ_BAD");
    expect(problemsOf(() => e.done())).toEqual(['TZ_BAD: "Mars/Olympus" is not an IANA time zone']);
  });

  it("takes gRPC TLS files all together or not at all", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "circulate-tls-"));
    for (const f of ["ca.crt", "tls.crt", "tls.key"]) writeFileSync(path.join(dir, f), "pem");
    const all = { GRPC_TLS_CA_FILE: path.join(dir, "ca.crt"), GRPC_TLS_CERT_FILE: path.join(dir, "tls.crt"), GRPC_TLS_KEY_FILE: path.join(dir, "tls.key") };
    expect(grpcTlsFiles(readEnv({}))).toBeUndefined();
    expect(grpcTlsFiles(readEnv(all))).toEqual({ caFile: all.GRPC_TLS_CA_FILE, certFile: all.GRPC_TLS_CERT_FILE, keyFile: all.GRPC_TLS_KEY_FILE });
    const e = readEnv({ GRPC_TLS_CA_FILE: all.GRPC_TLS_CA_FILE, GRPC_TLS_CLIENT_CERT_FILE: all.GRPC_TLS_CERT_FILE });
    expect(grpcTlsFiles(e)).toBeUndefined();
    expect(problemsOf(() => e.done())).toEqual([
      "GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together (mutual TLS between processes)",
      "GRPC_TLS_CLIENT_CERT_FILE and GRPC_TLS_CLIENT_KEY_FILE go together",
    ]);
  });

  it("reports a problem across settings together with the others", () => {
    const e = readEnv({ PORT: "x" });
    e.int("PORT");
    e.problem("CERT and KEY go together");
    expect(problemsOf(() => e.done())).toEqual(['PORT: "x" is not an integer', "CERT and KEY go together"]);
  });
});

describe("runMain", () => {
  const node = (env: NodeJS.ProcessEnv) =>
    run(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", fixture], { env: { PATH: process.env.PATH, ...env } }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

  it("prints every configuration problem in one message, without a stack trace, and exits 78", async () => {
    const r = await node({ LOG_LEVEL: "verbose", ACCOUNTS_FILE: "/nonexistent/accounts.yaml", PORT: "x", CERT: "c" });
    expect(r.code).toBe(78);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "invalid configuration:",
        '  LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent',
        "  ACCOUNTS_FILE: /nonexistent/accounts.yaml: no such file",
        '  PORT: "x" is not an integer',
        "  CERT and KEY go together",
        "",
      ].join("\n"),
    );
  });

  it("runs the process when the configuration is good", async () => {
    const r = await node({ ACCOUNTS_FILE: fixture });
    expect(r).toMatchObject({ code: 0, stdout: "configured\n", stderr: "" });
  });
});
