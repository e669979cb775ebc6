import type { PatronRecord } from "./patron.record.js";

/**
 * Same shape as `@circulate/eventstore`'s `Event` (a type tag and a JSON
 * payload), declared here so the domain stays free of storage dependencies.
 * Payloads hold JSON primitives only: a Date would come back from the store as
 * a string and `evolve` would then see a different value than it produced.
 */
interface PatronEventOf<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

type NoData = Readonly<Record<string, never>>;

/**
 * `patronId` is the internal id (never the barcode) that other services and
 * events use; the app draws it once, at registration.
 */
export type PatronRegistered = PatronEventOf<
  "PatronRegistered",
  { readonly patronId: string; readonly institution: string; readonly barcode: string; readonly record: PatronRecord }
>;

/** Carries the whole new record (consumers need no earlier event) and which fields changed (audit). */
export type PatronUpdated = PatronEventOf<
  "PatronUpdated",
  { readonly record: PatronRecord; readonly changed: readonly (keyof PatronRecord)[] }
>;

/**
 * 01 Block Patron, or a block from an import. `message` is SIP2 `AL` (why the
 * kiosk blocked the card) or the import's reason; `terminalAccount` is the
 * kiosk that blocked, `""` for staff and imports (an import may lift only
 * blocks it could have set: see `decideImportBlock`).
 */
export type PatronBlocked = PatronEventOf<
  "PatronBlocked",
  { readonly cardRetained: boolean; readonly message: string; readonly terminalAccount: string }
>;

/** 25 Patron Enable: lifts the manual block (only that; see README). */
export type PatronEnabled = PatronEventOf<"PatronEnabled", NoData>;

export type CardReportedLost = PatronEventOf<"CardReportedLost", NoData>;

export type CardFound = PatronEventOf<"CardFound", NoData>;

/**
 * A new PIN hash (encoded `scrypt$N$r$p$salt$hash`). Resets the wrong-PIN count
 * and any lock. HAZARD: the hash is a secret at rest; the relay must not publish
 * it to outside subscribers (the public event contract should omit it).
 */
export type PinSet = PatronEventOf<"PinSet", { readonly pinHash: string }>;

/** A wrong PIN; `consecutiveFailures` is the count including this one. */
export type PinRejected = PatronEventOf<"PinRejected", { readonly consecutiveFailures: number }>;

/**
 * The wrong-PIN limit was reached; PIN checks fail until an unlock, a new PIN,
 * or (with a lock time) until the time has passed. `lockedAt` (ISO instant) is
 * when; `lockedUntil` is the end under the lock time in force then (`null` =
 * until staff lift it), for subscribers. Expiry is judged on `lockedAt` and the
 * lock time in force at each check.
 */
export type PinLocked = PatronEventOf<
  "PinLocked",
  { readonly consecutiveFailures: number; readonly lockedAt: string | null; readonly lockedUntil: string | null }
>;

/** A right PIN after one or more wrong ones: resets the count. Not emitted when the count is already 0. */
export type PinAccepted = PatronEventOf<"PinAccepted", NoData>;

/**
 * A PIN lock was lifted and the count reset, without a new PIN: by staff
 * (`staff` names who) or because the lock time had passed (`expired`, `staff` "").
 */
export type PinUnlocked = PatronEventOf<"PinUnlocked", { readonly staff: string; readonly expired: boolean }>;

export type PatronEvent =
  | PatronRegistered
  | PatronUpdated
  | PatronBlocked
  | PatronEnabled
  | CardReportedLost
  | CardFound
  | PinSet
  | PinRejected
  | PinLocked
  | PinAccepted
  | PinUnlocked;

export type PatronEventType = PatronEvent["type"];
