// Test data shared by the patron specs (excluded from the build).
import { fold } from "@circulate/domain";
import { type PatronId, type PatronRecord, patronDetails, patronRefOf } from "./patron.record.js";
import { evolvePatron, initialPatronState, type PatronState, type RegisteredPatron } from "./patron.state.js";
import type { PatronTypePolicy, PatronUsage, StandingFacts } from "./standing.js";
import { type PatronEvent, patronEvent } from "./unpublished-fields.js";
import type { PinPolicy } from "./pin-lock.js";

export const PATRON: PatronId = { institution: "main", barcode: "P0001" };

export const PATRON_ID = "0197a1b2-0000-7000-8000-000000000001";

export const ZONE = "Europe/Paris";

/** What the import deciders are told besides the record: the home zone. */
export const RECORD_FACTS = { timeZone: ZONE };

/** A moment when the default record is comfortably unexpired. */
export const NOW = new Date("2025-06-15T10:00:00Z");

export function aRecord(overrides: Partial<PatronRecord> = {}): PatronRecord {
  return {
    name: "Ada Lovelace",
    patronType: "adult",
    homeInstitution: "main",
    expiryDate: "2026-03-31",
    email: "ada@example.org",
    phone: null,
    address: "12 St James's Square",
    birthDate: "1815-12-10",
    language: "001",
    ...overrides,
  };
}

export function registered(record: PatronRecord = aRecord()): PatronEvent {
  return patronEvent("PatronRegistered", { patronId: PATRON_ID, patron: patronRefOf(PATRON), ...patronDetails(record, ZONE), record });
}

/** The state after `events`; with no argument, an unregistered patron. */
export function given(...events: PatronEvent[]): PatronState {
  return fold(evolvePatron, initialPatronState(), events);
}

/** The state after registration followed by `events`, typed as registered. */
export function givenRegistered(...events: PatronEvent[]): RegisteredPatron {
  const state = given(registered(), ...events);
  if (state.status !== "registered") throw new Error("fixture: expected a registered patron");
  return state;
}

export function aPolicy(overrides: Partial<PatronTypePolicy> = {}): PatronTypePolicy {
  return { patronType: "adult", maxCharged: 10, maxOverdue: 3, fineLimit: 500, currency: "EUR", ...overrides };
}

export function aUsage(overrides: Partial<PatronUsage> = {}): PatronUsage {
  return { charged: 0, overdue: 0, fineBalance: 0, ...overrides };
}

export function facts(overrides: Partial<StandingFacts> = {}): StandingFacts {
  return { policy: aPolicy(), usage: aUsage(), timeZone: ZONE, ...overrides };
}

export const FIVE_TRIES: PinPolicy = { maxConsecutiveWrongPins: 5, lockMinutes: null };

/** A PatronBlocked event; a kiosk block unless `terminalAccount` is `""`. */
export function blockedBy(cardRetained: boolean, reason: string, terminalAccount = "kiosk1", staff = ""): PatronEvent {
  return patronEvent("PatronBlocked", { patronId: PATRON_ID, reason, cardRetained, terminalAccount, staff });
}

/** A wrong PIN as the decider emits it (the app adds the terminal). */
export function rejected(consecutiveFailures: number): PatronEvent {
  return patronEvent("PinFailed", { patronId: PATRON_ID, consecutiveFailures });
}

/** A lock set at `at` with no lock time (until staff lift it). */
export function lockedEvent(consecutiveFailures: number, at: Date = NOW): PatronEvent {
  return patronEvent("PinLocked", { patronId: PATRON_ID, consecutiveFailures, lockedAt: at.toISOString() });
}

export function cardLost(staff = ""): PatronEvent {
  return patronEvent("PatronCardReportedLost", { patronId: PATRON_ID, staff });
}

export function cardFound(staff = ""): PatronEvent {
  return patronEvent("PatronCardFound", { patronId: PATRON_ID, staff });
}

export function pinChanged(pinHash: string): PatronEvent {
  return patronEvent("PinChanged", { patronId: PATRON_ID, pinHash });
}

export function pinUnlocked(staff: string, expired = false): PatronEvent {
  return patronEvent("PinUnlocked", { patronId: PATRON_ID, staff, expired });
}

export function pinAccepted(): PatronEvent {
  return patronEvent("PinFailuresReset", { patronId: PATRON_ID, cause: "pin_accepted" });
}

export function enabled(staff = "", reason = ""): PatronEvent {
  return patronEvent("PatronEnabled", { patronId: PATRON_ID, staff, reason });
}
