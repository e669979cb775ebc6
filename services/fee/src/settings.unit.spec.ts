import { ConfigError, readEnv } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { DEFAULT_FEE_SETTINGS, feeSettings } from "./settings.js";

describe("the fee service's settings", () => {
  it("default to UTC and USD", () => {
    const e = readEnv({});
    expect(feeSettings(e)).toEqual(DEFAULT_FEE_SETTINGS);
    e.done();
  });

  it("name a bad zone and a bad currency together with the shared settings' problems", () => {
    const e = readEnv({ FEE_DEFAULT_TIME_ZONE: "Europe/Atlantis", FEE_DEFAULT_CURRENCY: "dollars", LOG_LEVEL: "loud" });
    e.logLevel();
    feeSettings(e);
    expect(() => e.done()).toThrow(ConfigError);
    try {
      e.done();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
        'FEE_DEFAULT_TIME_ZONE: "Europe/Atlantis" is not an IANA time zone',
        'FEE_DEFAULT_CURRENCY: "dollars" is not an ISO 4217 code',
      ]);
    }
  });
});
