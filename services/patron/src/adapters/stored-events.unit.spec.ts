import { patron } from "@circulate/contracts";
import { fold } from "@circulate/domain";
import { describe, expect, it } from "vitest";
import { fromTerminal } from "../app/patron-store.js";
import { decideBlock, decideBlockPatron } from "../block-patron/block-patron.decider.js";
import { checkPin, evolvePatron, initialPatronState, type PatronEvent, type PatronRecord } from "../domain/index.js";
import { decideEnablePatron, decideUnblockPatron } from "../enable-patron/enable-patron.decider.js";
import { decideImportBlock } from "../import-patrons/import-patron.decider.js";
import { decideRegisterPatron } from "../register-patron/register-patron.decider.js";
import { decideReportCardFound, decideReportCardLost } from "../report-card-lost/report-card-lost.decider.js";
import { decideSetPin } from "../set-pin/set-pin.decider.js";
import { decideUnlockPin } from "../unlock-pin/unlock-pin.decider.js";
import { decideUpdatePatron } from "../update-patron/update-patron.decider.js";
import {
  aRecord,
  blockedBy,
  cardLost,
  FIVE_TRIES,
  facts,
  given,
  givenRegistered,
  lockedEvent,
  NOW,
  PATRON,
  PATRON_ID,
  RECORD_FACTS,
  registered,
  rejected,
} from "../domain/patron.fixtures.js";
import { encodePatronEvent, fromStoredPatronEvent, toStoredPatronEvent } from "./stored-events.js";

/** The stored rows these situations have always produced (the same JSON, key for key). */
const REF = { institutionId: "main", barcode: "P0001" };
const ADA = {
  name: "Ada Lovelace",
  patronType: "adult",
  homeInstitution: "main",
  expiryDate: "2026-03-31",
  email: "ada@example.org",
  phone: null,
  address: "12 St James's Square",
  birthDate: "1815-12-10",
  language: "001",
};
const ADA_DETAILS = {
  patronId: PATRON_ID,
  patron: REF,
  name: "Ada Lovelace",
  patronType: "adult",
  homeLocation: "main",
  email: "ada@example.org",
  phone: "",
  homeAddress: "12 St James's Square",
  language: "LANGUAGE_ENGLISH",
  expiresAt: "2026-03-31T22:00:00.000Z",
  birthDate: "1815-12-10",
};
const BARE: PatronRecord = {
  name: "B",
  patronType: "child",
  homeInstitution: "main",
  expiryDate: null,
  email: null,
  phone: null,
  address: null,
  birthDate: null,
  language: "000",
};

const stored = (events: readonly PatronEvent[], terminal = "") => fromTerminal(events, terminal).map(toStoredPatronEvent);
const policy = (lockMinutes: number | null) => ({ maxConsecutiveWrongPins: 3, lockMinutes });
const register = (record: PatronRecord) => decideRegisterPatron({ type: "RegisterPatron", patron: PATRON, patronId: PATRON_ID, record }, given(), RECORD_FACTS);
const block = (cardRetained: boolean, message: string, terminalAccount: string) =>
  decideBlockPatron({ type: "BlockPatron", patron: PATRON, cardRetained, message, terminalAccount, staff: "" }, givenRegistered(), facts(), NOW);
const lockAfterTwo = (lockMinutes: number | null) => checkPin(false, givenRegistered(rejected(1), rejected(2)), policy(lockMinutes), NOW).events;

describe("stored patron events keep their shape", () => {
  it("registration and update: the contract's fields with every scalar, plus the exact record (and the changed fields)", () => {
    expect(stored(register(aRecord()).events)).toEqual([{ type: "PatronRegistered", data: { ...ADA_DETAILS, record: ADA } }]);
    expect(stored(register(BARE).events)).toEqual([
      {
        type: "PatronRegistered",
        data: {
          patronId: PATRON_ID,
          patron: REF,
          name: "B",
          patronType: "child",
          homeLocation: "main",
          email: "",
          phone: "",
          homeAddress: "",
          language: "LANGUAGE_UNSPECIFIED",
          birthDate: "",
          record: BARE,
        },
      },
    ]);
    const update = decideUpdatePatron({ type: "UpdatePatron", patron: PATRON, record: aRecord({ phone: "555" }) }, givenRegistered(), RECORD_FACTS);
    expect(stored(update.events)).toEqual([
      { type: "PatronDetailsUpdated", data: { ...ADA_DETAILS, phone: "555", record: { ...ADA, phone: "555" }, changed: ["phone"] } },
    ]);
  });

  it("blocks and enables name the terminal, empty for staff and imports", () => {
    expect(stored(block(true, "kept", "kiosk1").events, "kiosk1")).toEqual([
      { type: "PatronBlocked", data: { patronId: PATRON_ID, reason: "kept", cardRetained: true, terminalAccount: "kiosk1", staff: "" } },
    ]);
    expect(stored(block(false, "", "").events)).toEqual([
      { type: "PatronBlocked", data: { patronId: PATRON_ID, reason: "", cardRetained: false, terminalAccount: "", staff: "" } },
    ]);
    const enable = decideEnablePatron({ type: "EnablePatron", patron: PATRON }, givenRegistered(blockedBy(false, "x")), facts(), NOW);
    expect(stored(enable.events, "kiosk1")).toEqual([{ type: "PatronEnabled", data: { patronId: PATRON_ID, terminalAccount: "kiosk1", staff: "", reason: "" } }]);
    expect(stored(decideImportBlock("", givenRegistered(blockedBy(false, "old", ""))))).toEqual([
      { type: "PatronEnabled", data: { patronId: PATRON_ID, terminalAccount: "", staff: "", reason: "" } },
    ]);
  });

  it("staff blocks and unblocks name the staff member (and why), with no terminal", () => {
    const staffBlock = decideBlock({ type: "BlockPatron", patron: PATRON, cardRetained: false, message: "owes", terminalAccount: "", staff: "jdoe" }, givenRegistered());
    expect(stored(staffBlock.events)).toEqual([
      { type: "PatronBlocked", data: { patronId: PATRON_ID, reason: "owes", cardRetained: false, terminalAccount: "", staff: "jdoe" } },
    ]);
    const unblock = decideUnblockPatron({ type: "UnblockPatron", patron: PATRON, staff: "asmith", reason: "paid" }, givenRegistered(...staffBlock.events));
    expect(stored(unblock.events)).toEqual([{ type: "PatronEnabled", data: { patronId: PATRON_ID, terminalAccount: "", staff: "asmith", reason: "paid" } }]);
  });

  it("lost and found cards name who recorded them", () => {
    expect(stored(decideReportCardLost({ type: "ReportCardLost", patron: PATRON, staff: "jdoe" }, givenRegistered()).events)).toEqual([
      { type: "PatronCardReportedLost", data: { patronId: PATRON_ID, staff: "jdoe" } },
    ]);
    expect(stored(decideReportCardFound({ type: "ReportCardFound", patron: PATRON, staff: "asmith" }, givenRegistered(cardLost())).events)).toEqual([
      { type: "PatronCardFound", data: { patronId: PATRON_ID, staff: "asmith" } },
    ]);
  });

  it("PIN bookkeeping: the hash, failures with their terminal, locks with their time, resets and unlocks", () => {
    const hash = "scrypt$16384$8$1$c2FsdA$aGFzaA";
    expect(stored(decideSetPin({ type: "SetPin", patron: PATRON, pinHash: hash }, givenRegistered()).events)).toEqual([
      { type: "PinChanged", data: { patronId: PATRON_ID, pinHash: hash } },
    ]);
    expect(stored(checkPin(false, givenRegistered(rejected(1)), FIVE_TRIES, NOW).events, "kiosk1")).toEqual([
      { type: "PinFailed", data: { patronId: PATRON_ID, consecutiveFailures: 2, terminalAccount: "kiosk1" } },
    ]);
    const lockedAt = NOW.toISOString();
    expect(stored(lockAfterTwo(15)).at(-1)).toEqual({
      type: "PinLocked",
      data: { patronId: PATRON_ID, consecutiveFailures: 3, lockedAt, lockedUntil: "2025-06-15T10:15:00.000Z" },
    });
    // No lockedUntil without a lock time: the lock lasts until staff lift it.
    expect(stored(lockAfterTwo(null)).at(-1)).toEqual({ type: "PinLocked", data: { patronId: PATRON_ID, consecutiveFailures: 3, lockedAt } });
    expect(stored(checkPin(true, givenRegistered(rejected(1)), FIVE_TRIES, NOW).events)).toEqual([
      { type: "PinFailuresReset", data: { patronId: PATRON_ID, cause: "pin_accepted" } },
    ]);
    const locked = givenRegistered(rejected(3), lockedEvent(3));
    expect(stored(decideUnlockPin({ type: "UnlockPin", patron: PATRON, staff: "jdoe" }, locked).events)).toEqual([
      { type: "PinUnlocked", data: { patronId: PATRON_ID, staff: "jdoe", expired: false } },
    ]);
    const expired = checkPin(true, locked, policy(15), new Date(NOW.getTime() + 15 * 60_000)).events;
    expect(stored(expired)).toEqual([{ type: "PinUnlocked", data: { patronId: PATRON_ID, staff: "", expired: true } }]);
  });
});

describe("stored patron events read back", () => {
  const roundTrip = (e: PatronEvent) => fromStoredPatronEvent(JSON.parse(JSON.stringify(toStoredPatronEvent(e))));

  it("as the same event, its time fields included", () => {
    const events = [
      registered(),
      ...register(BARE).events,
      ...stored(lockAfterTwo(15)).map((s) => fromStoredPatronEvent(s)!),
      ...lockAfterTwo(null),
      ...checkPin(true, givenRegistered(rejected(1)), FIVE_TRIES, NOW).events,
      ...fromTerminal(checkPin(false, givenRegistered(), FIVE_TRIES, NOW).events, "kiosk1"),
    ];
    for (const e of events) expect(roundTrip(e)).toEqual(e);
  });

  it("rebuilds the same state from events that went through the store's JSON round trip", () => {
    const events = [registered(), blockedBy(true, "m"), rejected(1), cardLost(), lockedEvent(3)];
    expect(fold(evolvePatron, initialPatronState(), events.map((e) => roundTrip(e)!))).toEqual(given(...events));
  });

  it("reads locks stored before they carried their time as starting when the event occurred", () => {
    const old = { type: "PinLocked", data: { patronId: PATRON_ID, consecutiveFailures: 3 }, occurredAt: NOW };
    expect(givenRegistered(fromStoredPatronEvent(old)!).pin).toEqual({ hash: null, consecutiveFailures: 3, locked: true, lockedAt: NOW.toISOString() });
  });

  it("reads the staff unlocks stored as a reset with cause 'unlocked' as an unlock", () => {
    const locked = [rejected(3), lockedEvent(3)];
    for (const cause of ["unlocked", "pin_accepted"]) {
      const reset = fromStoredPatronEvent({ type: "PinFailuresReset", data: { patronId: PATRON_ID, cause } })!;
      expect(givenRegistered(...locked, reset).pin).toEqual({ hash: null, consecutiveFailures: 0, locked: false, lockedAt: null });
    }
  });

  it("skips event types it does not know instead of throwing", () => {
    expect(fromStoredPatronEvent({ type: "SomethingNew", data: {} })).toBeUndefined();
    expect(fromStoredPatronEvent({ type: "ItemCheckedOut", data: {} })).toBeUndefined();
  });
});

describe("published patron events", () => {
  it("carry the contract's message and leave out what is kept unpublished (the PIN hash)", () => {
    const at = new Date(0);
    const recorded = (e: PatronEvent) => ({
      ...toStoredPatronEvent(e),
      eventId: "e",
      streamId: "s",
      streamPosition: 1,
      globalPosition: 1n,
      metadata: {},
      occurredAt: at,
      recordedAt: at,
    });
    const [changed] = decideSetPin({ type: "SetPin", patron: PATRON, pinHash: "scrypt$secret" }, givenRegistered()).events;
    const pin = encodePatronEvent(recorded(changed!));
    expect(Buffer.from(pin.payload).toString("latin1")).not.toContain("scrypt$secret");
    const reg = registered();
    expect(patron.PatronRegistered.decode(encodePatronEvent(recorded(reg)).payload)).toEqual(patron.PatronRegistered.fromPartial(reg.data));
  });
});
