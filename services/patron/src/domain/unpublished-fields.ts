import { type DomainEvent, type DomainEventOf, domainEvent } from "@circulate/contracts";
import type { PatronRecord } from "./patron.record.js";

/**
 * What this service keeps with an event beside its contract message (in
 * proto/library/patron/v1/events.proto). The contract carries what
 * subscribers may read; these are for the patron's own fold and audit and are
 * never published. They are JSON values, so they are stored as they are.
 */
export interface Unpublished {
  /** The record exactly as imported; the contract's fields are its published view (expiry as an instant, language as an enum). */
  readonly PatronRegistered: { readonly record: PatronRecord };
  readonly PatronDetailsUpdated: { readonly record: PatronRecord; readonly changed: readonly (keyof PatronRecord)[] };
  /**
   * The new hash (`scrypt$N$r$p$salt$hash`). HAZARD: a secret at rest; the
   * relay leaves it out (see the stored-events adapter).
   */
  readonly PinChanged: { readonly pinHash: string };
  /**
   * When the lock was set (ISO instant). Expiry is judged on it with the lock
   * time in force at each check; the contract's `lockedUntil` is the end
   * under the lock time of that moment, for subscribers.
   */
  readonly PinLocked: { readonly lockedAt: string };
  /** `"unlocked"` only in streams written before PinUnlocked existed: a staff unlock. */
  readonly PinFailuresReset: { readonly cause: "pin_accepted" | "unlocked" };
}

type UnpublishedOf<T extends string> = T extends keyof Unpublished ? Unpublished[T] : unknown;

type WithUnpublished<E extends { type: string; data: unknown }> = E extends unknown
  ? { readonly type: E["type"]; readonly data: E["data"] & UnpublishedOf<E["type"]> }
  : never;

/** A patron event: its contract message (`data`) with the fields kept unpublished. */
export type PatronEvent = WithUnpublished<DomainEvent<"patron">>;

export type PatronEventType = PatronEvent["type"];

export type PatronEventOf<T extends PatronEventType> = Extract<PatronEvent, { type: T }>;

const UNPUBLISHED_KEYS: { readonly [T in keyof Unpublished]: readonly (keyof Unpublished[T])[] } = {
  PatronRegistered: ["record"],
  PatronDetailsUpdated: ["record", "changed"],
  PinChanged: ["pinHash"],
  PinLocked: ["lockedAt"],
  PinFailuresReset: ["cause"],
};

/** The unpublished keys of an event type (none for most). */
export function unpublishedKeys(type: string): readonly string[] {
  return Object.hasOwn(UNPUBLISHED_KEYS, type) ? UNPUBLISHED_KEYS[type as keyof Unpublished] : [];
}

/** The unpublished fields present in `data`. */
export function unpublishedOf(type: string, data: object): Record<string, unknown> {
  const source = data as Record<string, unknown>;
  return Object.fromEntries(unpublishedKeys(type).filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/**
 * A patron event from the contract fields the decider knows (the rest take
 * their proto3 defaults) and its unpublished fields.
 */
export function patronEvent<T extends PatronEventType>(
  type: T,
  data: Partial<DomainEventOf<T>["data"]> & UnpublishedOf<T>,
): PatronEventOf<T> {
  const contract: { readonly data: object } = domainEvent(type, data);
  return { type, data: { ...contract.data, ...unpublishedOf(type, data) } } as unknown as PatronEventOf<T>;
}
