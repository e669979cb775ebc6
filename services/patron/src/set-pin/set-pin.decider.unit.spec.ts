import { describe, expect, it } from "vitest";
import { given, givenRegistered, lockedEvent, PATRON, pinChanged, rejected } from "../domain/patron.fixtures.js";
import { decideSetPin } from "./set-pin.decider.js";

const lockedAt5 = [rejected(5), lockedEvent(5, new Date("2025-06-15T10:00:00.000Z"))];

describe("SetPin (staff)", () => {
  it("a new PIN hash is stored and clears the count and the lock", () => {
    const d = decideSetPin({ type: "SetPin", patron: PATRON, pinHash: "scrypt$h" }, givenRegistered(...lockedAt5));
    expect(d.events).toEqual([pinChanged("scrypt$h")]);
    expect(givenRegistered(...lockedAt5, ...d.events).pin).toEqual({ hash: "scrypt$h", consecutiveFailures: 0, locked: false, lockedAt: null });
  });

  it("refuses an empty hash and an unknown patron", () => {
    expect(decideSetPin({ type: "SetPin", patron: PATRON, pinHash: "" }, givenRegistered())).toMatchObject({
      reason: "invalid_pin_hash",
    });
    expect(decideSetPin({ type: "SetPin", patron: PATRON, pinHash: "h" }, given())).toMatchObject({ reason: "patron_not_found" });
  });
});
