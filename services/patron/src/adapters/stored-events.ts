import { domainEvent, fromStoredEvent, toStoredEvent } from "@circulate/contracts";
import type { RecordedEvent } from "@circulate/eventstore";
import { type EventEncoder, protoJsonEncoder } from "@circulate/service";
import { type PatronEvent, unpublishedKeys, unpublishedOf } from "../domain/index.js";

/** A patron event as the store keeps it: the contract's proto3 JSON plus the unpublished fields. */
export interface StoredPatronEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * The contract's scalar fields at their defaults. Stored patron events have
 * always carried every scalar field (proto3 JSON's "emit default values"
 * form: `staff: ""`, `cardRetained: false`), so rows keep one shape whichever
 * values they hold; readers of proto3 JSON take both forms alike.
 */
function scalarDefaults(type: PatronEvent["type"]): Record<string, unknown> {
  const defaults: object = domainEvent(type, {}).data;
  return Object.fromEntries(Object.entries(defaults).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v)));
}

export function toStoredPatronEvent(event: PatronEvent): StoredPatronEvent {
  const contract = toStoredEvent(event).data as Record<string, unknown>;
  return { type: event.type, data: { ...scalarDefaults(event.type), ...contract, ...unpublishedOf(event.type, event.data) } };
}

/**
 * The patron event in a stored one; `undefined` for a type this version does
 * not know (the fold skips it rather than throw on a rebuild).
 */
export function fromStoredPatronEvent(stored: { type: string; data: unknown; occurredAt?: Date }): PatronEvent | undefined {
  const event = fromStoredEvent("patron", stored);
  if (event === undefined) return undefined;
  const raw = (stored.data ?? {}) as Record<string, unknown>;
  const data: Record<string, unknown> = { ...event.data, ...unpublishedOf(event.type, raw) };
  // Locks stored before they carried their time started when the event occurred.
  if (event.type === "PinLocked" && !raw.lockedAt && stored.occurredAt) data.lockedAt = stored.occurredAt.toISOString();
  return { type: event.type, data } as unknown as PatronEvent;
}

/**
 * The relay's encoder: the unpublished fields (the PIN hash among them) are
 * removed before the generic proto-JSON encoder, which would also ignore them.
 */
export const encodePatronEvent: EventEncoder = (event: RecordedEvent) => {
  const data = { ...(event.data as Record<string, unknown>) };
  for (const key of unpublishedKeys(event.type)) delete data[key];
  return protoJsonEncoder({ ...event, data } as RecordedEvent);
};
