import { ConfigError, readEnv } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOAN_SETTINGS, loanSettings } from "./settings.js";

describe("the loan service's settings", () => {
  it("default to UTC", () => {
    const e = readEnv({});
    expect(loanSettings(e)).toEqual(DEFAULT_LOAN_SETTINGS);
    e.done();
  });

  it("take a configured IANA zone", () => {
    const e = readEnv({ LOAN_DEFAULT_TIME_ZONE: "America/New_York" });
    expect(loanSettings(e)).toEqual({ defaultTimeZone: "America/New_York" });
    e.done();
  });

  it("name a bad zone together with the shared settings' problems", () => {
    const e = readEnv({ LOAN_DEFAULT_TIME_ZONE: "Europe/Atlantis", LOG_LEVEL: "loud" });
    e.logLevel();
    loanSettings(e);
    let problems: readonly string[] = [];
    try {
      e.done();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      'LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
      'LOAN_DEFAULT_TIME_ZONE: "Europe/Atlantis" is not an IANA time zone',
    ]);
  });
});
