import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { EXIT, parseCommand, runCli } from "../src/cli.js";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (c: string) => out.push(c) }, stderr: { write: (c: string) => err.push(c) }, env: {} }, out, err };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("circulate-admin patron unlock-pin", () => {
  it("reads institution, patron, staff and the patron service address (flag, then env, then the default port)", () => {
    const argv = ["patron", "unlock-pin", "--institution", "MAIN", "--patron", "P0001", "--staff", "jdoe"];
    expect(parseCommand(argv, {})).toEqual({ institution: "MAIN", barcode: "P0001", staff: "jdoe", address: "127.0.0.1:7101", timeoutMs: 10_000 });
    expect(parseCommand(argv, { PATRON_GRPC_ADDRESS: "db1:7101" }).address).toBe("db1:7101");
    expect(parseCommand([...argv, "--patron-grpc", "h:1"], { PATRON_GRPC_ADDRESS: "db1:7101" }).address).toBe("h:1");
  });

  it("refuses, as a usage error, a missing staff name (who lifted a lock is always recorded)", async () => {
    const { io: cli, err } = io();
    expect(await runCli(["patron", "unlock-pin", "--institution", "MAIN", "--patron", "P0001"], cli)).toBe(EXIT.usage);
    expect(err.join("")).toContain("missing --staff");
    expect(await runCli(["patron", "unlock-pin", "--institution", "MAIN", "--patron", "P0001", "--staff", "  "], cli)).toBe(EXIT.usage);
  });

  it("refuses unknown commands and options with the usage text", async () => {
    const { io: cli, err } = io();
    expect(await runCli(["patron", "delete"], cli)).toBe(EXIT.usage);
    expect(await runCli(["patron", "unlock-pin", "--pin", "1234"], cli)).toBe(EXIT.usage);
    expect(err.join("")).toContain("usage: circulate-admin");
  });

  it("says so and exits 1 when the patron service does not answer", async () => {
    const { io: cli, out, err } = io();
    const argv = ["patron", "unlock-pin", "--institution", "MAIN", "--patron", "P0001", "--staff", "jdoe"];
    expect(await runCli([...argv, "--patron-grpc", `127.0.0.1:${await closedPort()}`, "--timeout-ms", "2000"], cli)).toBe(EXIT.failed);
    expect(out).toEqual([]);
    expect(err.join("")).toMatch(/^circulate-admin: (UNAVAILABLE|DEADLINE_EXCEEDED): /);
  });
});
