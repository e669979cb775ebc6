import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ConfigError } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { gatewayConfigFromEnv } from "../src/config.js";

const accounts = path.resolve(import.meta.dirname, "../../../infra/demo/accounts.yaml");

function problems(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    gatewayConfigFromEnv(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe("the gateway's configuration", () => {
  it("accepts the demo accounts file and defaults", () => {
    const config = gatewayConfigFromEnv({ SIP2_ACCOUNTS_FILE: accounts });
    expect(config).toMatchObject({ accountsFile: accounts, tcpPort: 6001, logLevel: "info" });
    expect(config.tls).toBeUndefined();
  });

  it("names every problem at once, the cross-setting ones included", () => {
    expect(
      problems({
        SIP2_ACCOUNTS_FILE: "/nonexistent/accounts.yaml",
        LOG_LEVEL: "verbose",
        SIP2_PORT: "70000",
        SIP2_TLS_CERT_FILE: accounts,
        SIP2_TLS_REQUIRE_CLIENT_CERT: "yes",
      }),
    ).toEqual([
      "SIP2_ACCOUNTS_FILE: /nonexistent/accounts.yaml: no such file",
      "SIP2_PORT: 70000 is above 65535",
      'LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent',
      "SIP2_TLS_CERT_FILE and SIP2_TLS_KEY_FILE go together",
      "SIP2_TLS_REQUIRE_CLIENT_CERT needs SIP2_TLS_CA_FILE",
    ]);
  });

  it("reads the fleet's timings, the gateway id and the accounts bucket switch, and checks them", () => {
    expect(gatewayConfigFromEnv({ SIP2_ACCOUNTS_FILE: accounts })).toMatchObject({ fleet: { refreshMs: 20_000, writeMs: 2_000 }, accountsKv: true });
    expect(gatewayConfigFromEnv({ SIP2_ACCOUNTS_FILE: accounts, GATEWAY_ID: "gw-1", SIP2_ACCOUNTS_KV: "false" })).toMatchObject({ gatewayId: "gw-1", accountsKv: false });
    expect(problems({ SIP2_ACCOUNTS_FILE: accounts, GATEWAY_ID: "gw.1", SIP2_FLEET_REFRESH_MS: "5000", SIP2_FLEET_WRITE_MS: "6000" })).toEqual([
      "GATEWAY_ID is made of letters, digits, - and _",
      "SIP2_FLEET_WRITE_MS is at most SIP2_FLEET_REFRESH_MS",
    ]);
    expect(problems({ SIP2_ACCOUNTS_FILE: accounts, GATEWAY_ID: "accounts" })).toEqual(['GATEWAY_ID cannot be "accounts" (the fleet bucket\'s name for the accounts files\' entries)']);
  });

  it("requires an accounts file and names a TLS file that cannot be read", () => {
    expect(problems({ SIP2_TLS_CERT_FILE: "/nonexistent/cert.pem", SIP2_TLS_KEY_FILE: accounts })).toEqual([
      "SIP2_TLS_CERT_FILE: /nonexistent/cert.pem: no such file",
      "SIP2_ACCOUNTS_FILE is required",
    ]);
  });

  it("stops the process with one message and exit code 78, never a stack trace", async () => {
    const main = path.resolve(import.meta.dirname, "../src/main.ts");
    const result = await promisify(execFile)(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", main], {
      env: { PATH: process.env.PATH, SIP2_ACCOUNTS_FILE: "/nonexistent/accounts.yaml", LOG_LEVEL: "verbose" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(78);
    expect(result.stderr).toBe(
      'invalid configuration:\n  SIP2_ACCOUNTS_FILE: /nonexistent/accounts.yaml: no such file\n  LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent\n',
    );
  });
});
