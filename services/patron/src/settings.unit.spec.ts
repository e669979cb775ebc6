import { ConfigError, type EnvReader, readEnv } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { DEFAULT_PATRON_SERVICE_OPTIONS, patronSettings } from "./settings.js";

/** The problems `done()` names, or [] when the settings are good. */
function problemsOf(env: NodeJS.ProcessEnv, shared: (e: EnvReader) => void = () => {}): readonly string[] {
  const e = readEnv(env);
  shared(e);
  patronSettings(e);
  try {
    e.done();
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

describe("the patron service's settings", () => {
  it("default to 5 wrong PINs, UTC, USD, lists of 50, a 2 s wait, scrypt N = 2^14 and a 5 min PIN cache", () => {
    const e = readEnv({});
    expect(patronSettings(e)).toEqual(DEFAULT_PATRON_SERVICE_OPTIONS);
    e.done();
  });

  it("read every PATRON_* variable; 0 wrong PINs never locks", () => {
    const e = readEnv({
      PATRON_MAX_WRONG_PINS: "0",
      PATRON_DEFAULT_TIME_ZONE: "America/New_York",
      PATRON_DEFAULT_CURRENCY: "EUR",
      PATRON_LIST_MAX_ENTRIES: "20",
      PATRON_PROJECTION_WAIT_MS: "500",
      PATRON_PIN_SCRYPT_N: "4096",
      PATRON_PIN_CACHE_TTL_MS: "0",
    });
    expect(patronSettings(e)).toMatchObject({
      defaultMaxWrongPins: null,
      defaultTimeZone: "America/New_York",
      defaultCurrency: "EUR",
      maxListEntries: 20,
      projectionWaitMs: 500,
      scryptN: 4096,
      pinCacheTtlMs: 0,
    });
    e.done();
  });

  it("name bad values together with the shared settings' problems", () => {
    const env = {
      LOG_LEVEL: "loud",
      PATRON_MAX_WRONG_PINS: "-1",
      PATRON_DEFAULT_TIME_ZONE: "Europe/Atlantis",
      PATRON_DEFAULT_CURRENCY: "dollars",
      PATRON_LIST_MAX_ENTRIES: "many",
      PATRON_PIN_SCRYPT_N: "1000",
    };
    expect(problemsOf(env, (e) => e.logLevel())).toEqual([
      'LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
      "PATRON_MAX_WRONG_PINS: -1 is below 0",
      'PATRON_DEFAULT_TIME_ZONE: "Europe/Atlantis" is not an IANA time zone',
      'PATRON_DEFAULT_CURRENCY: "dollars" is not an ISO 4217 code',
      'PATRON_LIST_MAX_ENTRIES: "many" is not an integer',
      "PATRON_PIN_SCRYPT_N: 1000 is not a power of two",
    ]);
  });

  it("report a scrypt N out of range once, not also as not a power of two", () => {
    expect(problemsOf({ PATRON_PIN_SCRYPT_N: String(2 ** 21) })).toEqual([`PATRON_PIN_SCRYPT_N: ${2 ** 21} is above ${2 ** 20}`]);
  });
});
