import type { PatronEvent } from "./unpublished-fields.js";
import type { PatronId, PatronRecord } from "./patron.record.js";

/** A manual block from 01 Block Patron, staff or an import; lifted by 25 Patron Enable or staff. */
export interface ManualBlock {
  readonly cardRetained: boolean;
  readonly message: string;
  /** Kiosk that blocked; `""` = staff or an import. */
  readonly terminalAccount: string;
  /** Staff member who blocked (BlockPatron); `""` = a kiosk or an import. */
  readonly staff: string;
}

export interface PinState {
  /** Encoded hash; `null` = the patron has no PIN, so no PIN can match. */
  readonly hash: string | null;
  readonly consecutiveFailures: number;
  readonly locked: boolean;
  /** When the lock was set (ISO instant); `null` when unlocked or unknown (a lock recorded before this was kept). */
  readonly lockedAt: string | null;
}

export interface UnregisteredPatron {
  readonly status: "unregistered";
}

export interface RegisteredPatron {
  readonly status: "registered";
  /** Internal id, drawn at registration; never the barcode. */
  readonly patronId: string;
  readonly id: PatronId;
  readonly record: PatronRecord;
  readonly block: ManualBlock | null;
  readonly cardLost: boolean;
  readonly pin: PinState;
}

export type PatronState = UnregisteredPatron | RegisteredPatron;

export function initialPatronState(): PatronState {
  return { status: "unregistered" };
}

const NO_PIN: PinState = { hash: null, consecutiveFailures: 0, locked: false, lockedAt: null };

/**
 * Applies one event. Tolerant by design: an event that does not fit the state
 * (anything but PatronRegistered on an unregistered patron) leaves it as is,
 * because rebuilding from a stored stream must never throw.
 */
export function evolvePatron(state: PatronState, event: PatronEvent): PatronState {
  if (event.type === "PatronRegistered") {
    const { patronId, patron, record } = event.data;
    const id = { institution: patron?.institutionId ?? "", barcode: patron?.barcode ?? "" };
    return { status: "registered", patronId, id, record, block: null, cardLost: false, pin: NO_PIN };
  }
  if (state.status === "unregistered") return state;
  switch (event.type) {
    case "PatronDetailsUpdated":
      return { ...state, record: event.data.record };
    case "PatronBlocked":
      return {
        ...state,
        block: {
          cardRetained: event.data.cardRetained,
          message: event.data.reason,
          terminalAccount: event.data.terminalAccount,
          staff: event.data.staff ?? "",
        },
      };
    case "PatronEnabled":
      return { ...state, block: null };
    case "PatronCardReportedLost":
      return { ...state, cardLost: true };
    case "PatronCardFound":
      return { ...state, cardLost: false };
    case "PinChanged":
      return { ...state, pin: { hash: event.data.pinHash, consecutiveFailures: 0, locked: false, lockedAt: null } };
    case "PinFailed":
      return { ...state, pin: { ...state.pin, consecutiveFailures: event.data.consecutiveFailures } };
    case "PinLocked":
      return {
        ...state,
        pin: { ...state.pin, consecutiveFailures: event.data.consecutiveFailures, locked: true, lockedAt: event.data.lockedAt || null },
      };
    // A reset with cause "unlocked" (a staff unlock stored before PinUnlocked existed) is the same unlock.
    case "PinFailuresReset":
    case "PinUnlocked":
      return { ...state, pin: { ...state.pin, consecutiveFailures: 0, locked: false, lockedAt: null } };
    case "PatronSessionEnded":
      // 35 records nothing (see decideEndPatronSession); the contract defines the event for others.
      return state;
  }
}

/**
 * The event stream of one patron: `patron-<institution>-<barcode>`.
 *
 * HAZARD: both parts may contain `-`, so `patron-a-b-c` could be (a, b-c) or
 * (a-b, c) and two patrons would share a stream. Each part is percent-encoded
 * with `-` encoded too, which keeps ids readable for ordinary values and makes
 * the separator unambiguous.
 */
export function patronStreamId(id: PatronId): string {
  return `patron-${encodePart(id.institution)}-${encodePart(id.barcode)}`;
}

function encodePart(value: string): string {
  return encodeURIComponent(value).replaceAll("-", "%2D");
}
