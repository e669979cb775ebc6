import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { addressesFrom, EXIT, runCli } from "../src/cli.js";

const DEMO = fileURLToPath(new URL("../../../infra/demo", import.meta.url));

function io(env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env,
    out: () => out,
    err: () => err,
  };
}

describe("circulate-import", () => {
  it("validates the demo library with --dry-run and sends nothing", async () => {
    const t = io();
    // Addresses nobody listens on: a dry run must not dial them.
    expect(await runCli([DEMO, "--dry-run", "--patron", "127.0.0.1:1"], t)).toBe(EXIT.ok);
    expect(JSON.parse(t.out())).toEqual({ valid: true, records: 2 + 2 + 4 + 2 + 6 + 10 + 2 + 2 + 2 });
    // Not a terminal, and done within seconds: no progress line.
    expect(t.err()).toBe("");
  });

  it("exits 3 listing the problems when the input is invalid, before dialling any service", async () => {
    const t = io();
    const bad = fileURLToPath(new URL("./fixtures/invalid.json", import.meta.url));
    expect(await runCli([bad, "--patron", "127.0.0.1:1", "--item", "127.0.0.1:1"], t)).toBe(EXIT.invalid);
    expect(t.err()).toMatch(/nothing was loaded/);
    expect(t.err()).toMatch(/patrons\[0\] \(MAIN\/P1\): name is required/);
    expect(t.out()).toBe("");
  });

  it("exits 3 for a missing file and 2 for a usage error", async () => {
    expect(await runCli(["/nonexistent/library.json"], io())).toBe(EXIT.invalid);
    const t = io();
    expect(await runCli([], t)).toBe(EXIT.usage);
    expect(t.err()).toMatch(/usage: circulate-import/);
    expect(await runCli([DEMO, "--today", "tomorrow"], io())).toBe(EXIT.usage);
    expect(await runCli([DEMO, "--bogus"], io())).toBe(EXIT.usage);
    expect(await runCli([DEMO, "--batches-in-flight", "0"], io())).toBe(EXIT.usage);
  });

  it("exits 2 naming a gRPC TLS setting that is incomplete, before dialling any service", async () => {
    const t = io({ GRPC_TLS_CA_FILE: "/nonexistent/ca.crt" });
    expect(await runCli([DEMO, "--patron", "127.0.0.1:1"], t)).toBe(EXIT.usage);
    expect(t.err()).toBe(
      "circulate-import: invalid configuration:\n  GRPC_TLS_CA_FILE: /nonexistent/ca.crt: no such file\n  GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together (mutual TLS between processes)\n",
    );
  });

  it("exits 1 naming the step when a service cannot be reached", async () => {
    const t = io();
    const dead = ["patron", "item", "loan", "fee", "hold"].flatMap((s) => [`--${s}`, "127.0.0.1:1"]);
    expect(await runCli([DEMO, ...dead], t)).toBe(EXIT.failed);
    expect(t.err()).toMatch(/UpsertInstitutions failed \(UNAVAILABLE\)/);
  });

  it("takes addresses from flags, then <SERVICE>_GRPC_ADDRESS, then the default local ports", () => {
    expect(addressesFrom({ loan: "loan:1" }, { PATRON_GRPC_ADDRESS: "patron:2" })).toEqual({
      patron: "patron:2",
      item: "127.0.0.1:7102",
      loan: "loan:1",
      fee: "127.0.0.1:7104",
      hold: "127.0.0.1:7105",
    });
  });
});
