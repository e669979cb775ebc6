import { common } from "@circulate/contracts";
import type { RecordedEvent } from "@circulate/eventstore";
import { type EventEncoder, protoJsonEncoder } from "@circulate/service";
import { expiryInstant, type PatronEvent, type PatronId, type PatronRecord } from "../domain/index.js";
import { languageOfCode } from "./language.js";

/**
 * Domain events ⇄ stored events, in one place.
 *
 * Stored events are `{ type, data }` with `type` the message name in
 * proto/library/patron/v1/events.proto and `data` its proto3 JSON shape, so
 * the generic `protoJsonEncoder` publishes them. A few extra keys keep what
 * the domain needs and the public contract does not carry (the exact record,
 * the PIN hash, why failures were reset); `fromJSON` ignores unknown keys and
 * {@link encodePatronEvent} drops the secret ones explicitly as well.
 */
export interface StoredPatronEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** What a domain event does not say but its contract message needs. */
export interface EncodeContext {
  readonly patronId: string;
  readonly patron: PatronId;
  /** Kiosk that caused the event; "" for staff, imports and other services. */
  readonly terminalAccount: string;
  /** Home institution zone, to publish the expiry date as an instant. */
  readonly timeZone: string;
}

/** Keys of stored data that must never leave the service. */
const SECRET_KEYS = ["pinHash"] as const;

function details(record: PatronRecord, ctx: EncodeContext): Record<string, unknown> {
  return {
    patronId: ctx.patronId,
    patron: { institutionId: ctx.patron.institution, barcode: ctx.patron.barcode },
    name: record.name,
    patronType: record.patronType,
    homeLocation: record.homeInstitution,
    email: record.email ?? "",
    phone: record.phone ?? "",
    homeAddress: record.address ?? "",
    language: languageOfCode(record.language),
    ...(record.expiryDate === null ? {} : { expiresAt: expiryInstant(record.expiryDate, ctx.timeZone).toISOString() }),
    birthDate: record.birthDate ?? "",
    record,
  };
}

export function toStoredEvent(event: PatronEvent, ctx: EncodeContext): StoredPatronEvent {
  const patronId = ctx.patronId;
  switch (event.type) {
    case "PatronRegistered":
      return { type: "PatronRegistered", data: details(event.data.record, { ...ctx, patronId: event.data.patronId }) };
    case "PatronUpdated":
      return { type: "PatronDetailsUpdated", data: { ...details(event.data.record, ctx), changed: event.data.changed } };
    case "PatronBlocked":
      return {
        type: "PatronBlocked",
        data: {
          patronId,
          reason: event.data.message,
          cardRetained: event.data.cardRetained,
          terminalAccount: event.data.terminalAccount,
        },
      };
    case "PatronEnabled":
      return { type: "PatronEnabled", data: { patronId, terminalAccount: ctx.terminalAccount } };
    case "CardReportedLost":
      return { type: "PatronCardReportedLost", data: { patronId } };
    case "CardFound":
      return { type: "PatronCardFound", data: { patronId } };
    case "PinSet":
      return { type: "PinChanged", data: { patronId, pinHash: event.data.pinHash } };
    case "PinRejected":
      return {
        type: "PinFailed",
        data: { patronId, consecutiveFailures: event.data.consecutiveFailures, terminalAccount: ctx.terminalAccount },
      };
    case "PinLocked": {
      const { consecutiveFailures, lockedAt, lockedUntil } = event.data;
      // No locked_until without a lock time: the lock lasts until staff lift it.
      return { type: "PinLocked", data: { patronId, consecutiveFailures, lockedAt, ...(lockedUntil === null ? {} : { lockedUntil }) } };
    }
    case "PinAccepted":
      return { type: "PinFailuresReset", data: { patronId, cause: "pin_accepted" } };
    case "PinUnlocked":
      return { type: "PinUnlocked", data: { patronId, staff: event.data.staff, expired: event.data.expired } };
  }
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));

/**
 * The domain event a stored one stands for; `undefined` for a type this
 * version does not know (evolve skips it rather than throw on a rebuild).
 */
export function fromStoredEvent(stored: { type: string; data: unknown; occurredAt?: Date }): PatronEvent | undefined {
  const d = (stored.data ?? {}) as Record<string, unknown>;
  switch (stored.type) {
    case "PatronRegistered": {
      const ref = (d.patron ?? {}) as Record<string, unknown>;
      return {
        type: "PatronRegistered",
        data: {
          patronId: str(d.patronId),
          institution: str(ref.institutionId),
          barcode: str(ref.barcode),
          record: d.record as PatronRecord,
        },
      };
    }
    case "PatronDetailsUpdated":
      return {
        type: "PatronUpdated",
        data: { record: d.record as PatronRecord, changed: (d.changed ?? []) as (keyof PatronRecord)[] },
      };
    case "PatronBlocked":
      return {
        type: "PatronBlocked",
        data: { cardRetained: d.cardRetained === true, message: str(d.reason), terminalAccount: str(d.terminalAccount) },
      };
    case "PatronEnabled":
      return { type: "PatronEnabled", data: {} };
    case "PatronCardReportedLost":
      return { type: "CardReportedLost", data: {} };
    case "PatronCardFound":
      return { type: "CardFound", data: {} };
    case "PinChanged":
      return { type: "PinSet", data: { pinHash: str(d.pinHash) } };
    case "PinFailed":
      return { type: "PinRejected", data: { consecutiveFailures: num(d.consecutiveFailures) } };
    case "PinLocked": {
      // Locks stored before they carried their time started when the event occurred.
      const lockedAt = str(d.lockedAt) || (stored.occurredAt?.toISOString() ?? null);
      return { type: "PinLocked", data: { consecutiveFailures: num(d.consecutiveFailures), lockedAt, lockedUntil: str(d.lockedUntil) || null } };
    }
    case "PinUnlocked":
      return { type: "PinUnlocked", data: { staff: str(d.staff), expired: d.expired === true } };
    case "PinFailuresReset":
      // Staff unlocks were stored as a reset with cause "unlocked" before PinUnlocked existed.
      return d.cause === "unlocked" ? { type: "PinUnlocked", data: { staff: "", expired: false } } : { type: "PinAccepted", data: {} };
    default:
      return undefined;
  }
}

/**
 * The relay's encoder: secret keys removed, then the generic proto-JSON
 * encoder (which also ignores every other key the contract does not define).
 */
export const encodePatronEvent: EventEncoder = (event: RecordedEvent) => {
  const data = { ...(event.data as Record<string, unknown>) };
  for (const key of SECRET_KEYS) delete data[key];
  return protoJsonEncoder({ ...event, data } as RecordedEvent);
};

/** `common.PatronRef` from a domain id. */
export function patronRef(id: PatronId): common.PatronRef {
  return common.PatronRef.create({ institutionId: id.institution, barcode: id.barcode });
}
