import { type EventModules, type EventType, eventCatalog } from "./events.js";
import type { ServiceName } from "./subjects.js";

/**
 * A service's domain events are the messages of its `events.proto`: the
 * protobuf message is the one definition of an event. Deciders emit
 * `{ type, data }` with `data` the generated message; the event store keeps
 * `data` in its proto3 JSON form, which the relay publishes as is. Nothing is
 * mapped by hand in either direction, so a field added to the proto is in the
 * domain event, the stored row and the published message at once.
 */
type EventsIn<M> = {
  // biome-ignore lint/suspicious/noExplicitAny: only the decoded type is read
  [T in keyof M & string]: M[T] extends { decode(input: any, length?: number): infer X } ? { readonly type: T; readonly data: X } : never;
}[keyof M & string];

/** The events one service records, discriminated by `type`. */
export type DomainEvent<S extends ServiceName> = S extends ServiceName ? EventsIn<EventModules[S]> : never;

/** Any service's event. */
export type AnyDomainEvent = DomainEvent<ServiceName>;

/** The event of type `T` (e.g. `DomainEventOf<"ItemCheckedOut">`). */
export type DomainEventOf<T extends EventType> = Extract<AnyDomainEvent, { type: T }>;

/** An event as the event store holds it: `data` is proto3 JSON. */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * A domain event from the fields a decider knows; every other field takes its
 * proto3 default (`""`, `0`, `false`, `[]`, unset), as it would on the wire.
 */
export function domainEvent<T extends EventType>(type: T, data: Partial<DomainEventOf<T>["data"]>): DomainEventOf<T> {
  const entry = eventCatalog.get(type);
  if (entry === undefined) throw new Error(`unknown event type ${type}`);
  return { type, data: entry.codec.fromPartial(data) } as DomainEventOf<T>;
}

/** The stored (proto3 JSON) form of a domain event. */
export function toStoredEvent(event: AnyDomainEvent): { type: EventType; data: unknown } {
  const entry = eventCatalog.get(event.type);
  if (entry === undefined) throw new Error(`unknown event type ${event.type}`);
  return { type: event.type, data: entry.codec.toJSON(event.data) };
}

/**
 * The domain event in a stored one, or `undefined` when it is not one of
 * `service`'s events (a fold skips it: rebuilding a stream never throws).
 */
export function fromStoredEvent<S extends ServiceName>(service: S, stored: StoredEvent): DomainEvent<S> | undefined {
  const entry = eventCatalog.get(stored.type);
  if (entry === undefined || entry.service !== service) return undefined;
  return { type: stored.type, data: entry.codec.fromJSON(stored.data) } as DomainEvent<S>;
}
