import type { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import * as consoleEvents from "./gen/library/console/v1/events.js";
import type { EventEnvelope } from "./gen/library/events/v1/envelope.js";
import * as feeEvents from "./gen/library/fee/v1/events.js";
import * as holdEvents from "./gen/library/hold/v1/events.js";
import * as itemEvents from "./gen/library/item/v1/events.js";
import * as loanEvents from "./gen/library/loan/v1/events.js";
import * as patronEvents from "./gen/library/patron/v1/events.js";
import { assertSubjectPrefix, DEFAULT_SUBJECT_PREFIX, type ServiceName } from "./subjects.js";

/** The encode/decode half of a ts-proto message object (e.g. `loan.ItemCheckedOut`). */
export interface MessageCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  // biome-ignore lint/suspicious/noExplicitAny: the generated signature
  fromJSON(object: any): T;
  toJSON(message: T): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: the generated signature
  fromPartial(object: any): T;
}

/**
 * What records events: the five services, and the staff console (which takes no commands, so
 * it is not a {@link ServiceName}). The name is the subject token and the proto package's.
 */
export type EventSource = ServiceName | "console";

/**
 * Every message in a service's `events.proto` is one of its domain events; the
 * generated module exports nothing else. The catalog is derived from those
 * modules, so an event added to a proto is known here after `generate`.
 */
const eventModules = {
  patron: patronEvents,
  item: itemEvents,
  loan: loanEvents,
  fee: feeEvents,
  hold: holdEvents,
  console: consoleEvents,
} as const satisfies Record<EventSource, Record<string, MessageCodec<unknown>>>;

/** The generated message modules, one per service (each export is one event). */
export type EventModules = typeof eventModules;
type EventCodecs = { [S in EventSource]: EventModules[S] }[EventSource];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type AllEventCodecs = UnionToIntersection<EventCodecs>;

/** Short name of a domain event, e.g. `"ItemCheckedOut"`. */
export type EventType = keyof AllEventCodecs & string;
/** The message type of one event. */
export type EventOf<T extends EventType> = AllEventCodecs[T] extends MessageCodec<infer M> ? M : never;
/** A decoded event, discriminated by `type`. */
export type AnyEvent = { [T in EventType]: { type: T; event: EventOf<T> } }[EventType];

/** What the catalog knows about one event type. */
export interface EventCatalogEntry {
  /** Short name, the last subject token. */
  readonly type: EventType;
  /** Service (or the console) that records it. */
  readonly service: EventSource;
  /** Fully-qualified protobuf message name, stored as EventEnvelope.payload_type. */
  readonly payloadType: string;
  /** Generated encode/decode functions. */
  readonly codec: MessageCodec<unknown>;
}

function buildCatalog(): ReadonlyMap<string, EventCatalogEntry> {
  const catalog = new Map<string, EventCatalogEntry>();
  for (const [service, module] of Object.entries(eventModules) as [EventSource, Record<string, MessageCodec<unknown>>][]) {
    for (const [type, codec] of Object.entries(module)) {
      const other = catalog.get(type);
      if (other !== undefined) {
        // Event types are the last subject token and the key of unpackEvent: they must be unique.
        throw new Error(`event type ${type} is defined by both ${other.service} and ${service}`);
      }
      catalog.set(type, { type: type as EventType, service, payloadType: `library.${service}.v1.${type}`, codec });
    }
  }
  return catalog;
}

/** Every known event type, keyed by short name. */
export const eventCatalog: ReadonlyMap<string, EventCatalogEntry> = buildCatalog();

/** Thrown by {@link unpackEvent} for an event this build does not know, or a payload that does not match. */
export class EventPayloadError extends Error {
  override readonly name = "EventPayloadError";
}

/** True when `type` names an event this build knows. */
export function isEventType(type: string): type is EventType {
  return eventCatalog.has(type);
}

function entry(type: string): EventCatalogEntry {
  const found = eventCatalog.get(type);
  if (found === undefined) throw new EventPayloadError(`unknown event type ${JSON.stringify(type)}`);
  return found;
}

/** The envelope fields that carry the event itself. */
export type PackedEvent = Pick<EventEnvelope, "type" | "payloadType" | "payload">;

/** Encodes a domain event into the `type`, `payload_type` and `payload` of an EventEnvelope. */
export function packEvent<T extends EventType>(type: T, event: EventOf<T>): PackedEvent & { type: T } {
  const e = entry(type);
  const bytes = e.codec.encode(event).finish();
  return { type, payloadType: e.payloadType, payload: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * Decodes the domain event in an envelope. Throws {@link EventPayloadError}
 * for an unknown type or a payload_type that does not match the type; a
 * consumer that meets an event newer than itself should log, ack and skip.
 */
export function unpackEvent(envelope: { type: string; payloadType: string; payload: Uint8Array }): AnyEvent {
  const e = entry(envelope.type);
  if (envelope.payloadType !== e.payloadType) {
    throw new EventPayloadError(`event ${envelope.type} has payload_type ${envelope.payloadType}, expected ${e.payloadType}`);
  }
  try {
    return { type: e.type, event: e.codec.decode(envelope.payload) } as AnyEvent;
  } catch (cause) {
    throw new EventPayloadError(`event ${envelope.type} payload does not decode`, { cause });
  }
}

/** `<prefix>.evt.<service>.<EventType>`, e.g. `circ.evt.loan.ItemCheckedOut`. */
export function eventSubject(type: EventType, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  assertSubjectPrefix(prefix);
  const e = entry(type);
  return `${prefix}.evt.${e.service}.${e.type}`;
}
