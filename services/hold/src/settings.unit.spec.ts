import { ConfigError, readEnv } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, holdSettings } from "./settings.js";

function problems(read: () => void): readonly string[] {
  try {
    read();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("the hold service's settings", () => {
  it("default to a week on the shelf, any pickup location and a sweep a minute", () => {
    const e = readEnv({});
    expect(holdSettings(e)).toEqual({ settings: DEFAULT_SETTINGS, expirySweepMs: 60_000 });
    e.done();
  });

  it("read the shelf days, the pickup locations (blanks dropped) and the sweep's period; 0 turns the sweep off", () => {
    const e = readEnv({ HOLD_SHELF_DAYS: "10", HOLD_PICKUP_LOCATIONS: " MAIN, EAST,,", HOLD_EXPIRY_SWEEP_MS: "0" });
    expect(holdSettings(e)).toEqual({ settings: { shelfDays: 10, pickupLocations: ["MAIN", "EAST"] }, expirySweepMs: 0 });
    e.done();
  });

  it("name bad values together with the shared settings' problems", () => {
    const e = readEnv({ HOLD_SHELF_DAYS: "0", HOLD_EXPIRY_SWEEP_MS: "soon", LOG_LEVEL: "loud" });
    e.logLevel();
    holdSettings(e);
    expect(problems(() => e.done())).toEqual([
      'LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
      "HOLD_SHELF_DAYS: 0 is below 1",
      'HOLD_EXPIRY_SWEEP_MS: "soon" is not an integer',
    ]);
  });
});
