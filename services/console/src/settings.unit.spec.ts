import { ConfigError } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { consoleConfigFromEnv } from "./settings.js";

describe("console settings", () => {
  it("defaults to its own database, HTTP on 7110, ops on 9110 and the services' default addresses", () => {
    const c = consoleConfigFromEnv({});
    expect(c).toMatchObject({
      postgresUrl: "postgres://postgres@127.0.0.1:5432/circulate_console",
      httpHost: "127.0.0.1",
      httpPort: 7110,
      opsPort: 9110,
      secureCookies: false,
      services: { patron: "127.0.0.1:7101", item: "127.0.0.1:7102", loan: "127.0.0.1:7103", fee: "127.0.0.1:7104", hold: "127.0.0.1:7105" },
      session: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
    });
  });

  it("believes forwarded headers only from the proxies it is given", () => {
    expect(consoleConfigFromEnv({}).trustedProxies).toEqual([]);
    expect(consoleConfigFromEnv({ CONSOLE_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1" }).trustedProxies).toEqual(["10.0.0.0/8", "127.0.0.1"]);
  });

  it("reads the services' addresses from the variables the import uses", () => {
    expect(consoleConfigFromEnv({ FEE_GRPC_ADDRESS: "fee.internal:7104" }).services.fee).toBe("fee.internal:7104");
  });

  it("calls a terminal silent after 45 s and pushes the fleet every 5 s unless told otherwise", () => {
    expect(consoleConfigFromEnv({})).toMatchObject({ terminalSilentMs: 45_000, fleetPushMs: 5_000 });
    expect(consoleConfigFromEnv({ CONSOLE_TERMINAL_SILENT_SECONDS: "3", CONSOLE_FLEET_PUSH_MS: "500" })).toMatchObject({ terminalSilentMs: 3_000, fleetPushMs: 500 });
  });

  it("serves the page from CONSOLE_WEB_DIR only when it holds an index.html, and none when told", () => {
    expect(consoleConfigFromEnv({ CONSOLE_WEB_DIR: "none" }).webDir).toBeUndefined();
    expect(() => consoleConfigFromEnv({ CONSOLE_WEB_DIR: "/nonexistent/web" })).toThrow(/CONSOLE_WEB_DIR: \/nonexistent\/web has no index.html/);
  });

  it("names every wrong setting at once", () => {
    const env = { CONSOLE_HTTP_PORT: "seventy", CONSOLE_TLS_CERT_FILE: "/nonexistent/cert.pem", CONSOLE_ALLOWED_ORIGINS: "https://ok.example,https://bad.example/path", LOG_LEVEL: "loud", CONSOLE_TRUSTED_PROXIES: "10.0.0.0/8, proxy.local, ::1/129" };
    let problems: readonly string[] = [];
    try {
      consoleConfigFromEnv(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CONSOLE_HTTP_PORT: "seventy" is not an integer/),
        expect.stringMatching(/^CONSOLE_TLS_CERT_FILE: .*no such file/),
        "CONSOLE_TLS_CERT_FILE and CONSOLE_TLS_KEY_FILE go together",
        expect.stringMatching(/^CONSOLE_ALLOWED_ORIGINS: "https:\/\/bad.example\/path"/),
        expect.stringMatching(/^LOG_LEVEL/),
        'CONSOLE_TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR range',
        'CONSOLE_TRUSTED_PROXIES: "::1/129" is not an IP address or CIDR range',
      ]),
    );
  });
});
