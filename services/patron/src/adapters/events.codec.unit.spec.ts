import { describe, expect, it } from "vitest";
import { fromStoredEvent, toStoredEvent } from "./events.codec.js";

const ctx = { patronId: "p1", patron: { institution: "MAIN", barcode: "P1" }, terminalAccount: "", timeZone: "UTC" };
const OCCURRED = new Date("2025-06-15T10:00:00Z");

describe("PIN lock events, stored and read back", () => {
  it("a lock and a staff unlock round-trip with their time and who", () => {
    const lock = { type: "PinLocked", data: { consecutiveFailures: 3, lockedAt: OCCURRED.toISOString(), lockedUntil: "2025-06-15T10:15:00.000Z" } } as const;
    expect(fromStoredEvent(JSON.parse(JSON.stringify(toStoredEvent(lock, ctx))))).toEqual(lock);
    const never = { type: "PinLocked", data: { ...lock.data, lockedUntil: null } } as const;
    expect(toStoredEvent(never, ctx).data).not.toHaveProperty("lockedUntil");
    expect(fromStoredEvent(toStoredEvent(never, ctx))).toEqual(never);
    const unlock = { type: "PinUnlocked", data: { staff: "jdoe", expired: false } } as const;
    expect(toStoredEvent(unlock, ctx)).toEqual({ type: "PinUnlocked", data: { patronId: "p1", staff: "jdoe", expired: false } });
    expect(fromStoredEvent(toStoredEvent(unlock, ctx))).toEqual(unlock);
  });

  it("reads locks stored before they carried their time as starting when the event occurred", () => {
    expect(fromStoredEvent({ type: "PinLocked", data: { patronId: "p1", consecutiveFailures: 3 }, occurredAt: OCCURRED })).toEqual({
      type: "PinLocked",
      data: { consecutiveFailures: 3, lockedAt: OCCURRED.toISOString(), lockedUntil: null },
    });
  });

  it("reads the staff unlocks stored as a reset with cause 'unlocked' as PinUnlocked", () => {
    expect(fromStoredEvent({ type: "PinFailuresReset", data: { patronId: "p1", cause: "unlocked" } })).toEqual({
      type: "PinUnlocked",
      data: { staff: "", expired: false },
    });
    expect(fromStoredEvent({ type: "PinFailuresReset", data: { patronId: "p1", cause: "pin_accepted" } })).toEqual({ type: "PinAccepted", data: {} });
  });
});
