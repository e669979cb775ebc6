/**
 * A JSON-able, human-oriented view of one raw message, for logs and the `sip2 decode` CLI.
 */
import type { ChecksumStatus } from "./checksum.js";
import {
  AlertType,
  CirculationStatus,
  FeeType,
  HoldMode,
  HoldType,
  Language,
  LoginAlgorithm,
  MediaType,
  PaymentType,
  reverseTable,
  ScStatusCode,
  SecurityMarker,
} from "./codes.js";
import { isoWithOffset, parseSipDate } from "./dates.js";
import { type Direction, fixedWidth } from "./fields.js";
import { frameMessage, type ParseError, type ParseOptions, type ParseWarning, splitSegments } from "./frame.js";
import { buildModel } from "./parse.js";

/** JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A readable view of a parsed message. */
export interface MessageDescription {
  /** Two-digit message code. */
  code: string;
  /** Message name, e.g. "Checkout Response". */
  name: string;
  /** request (SC→ACS) or response (ACS→SC). */
  direction: Direction;
  /** Fixed fields by name. Dates as ISO 8601 with the stated offset; codes as `"03 (available)"`; flag strings as lists of the set flags. */
  fixed: Record<string, JsonValue>;
  /** Tagged fields by name (repeatable ones as arrays); unknown fields by their 2-char ID. */
  fields: Record<string, JsonValue>;
  /** AY sequence number, or null. */
  sequence: number | null;
  /** Checksum verdict on the raw bytes. */
  checksum: ChecksumStatus;
  /** Leniencies applied, if any. */
  warnings?: ParseWarning[];
}

/** A message that could not be parsed. */
export interface DescriptionError {
  /** Why. */
  error: ParseError;
  /** Message code, when one could be read. */
  code?: string;
  /** AY sequence number, or null. */
  sequence: number | null;
  /** Checksum verdict on the raw bytes. */
  checksum: ChecksumStatus;
}

export type Description = MessageDescription | DescriptionError;

const TABLES: Record<string, ReadonlyMap<string, string>> = {
  language: reverseTable(Language),
  circulationStatus: reverseTable(CirculationStatus),
  securityMarker: reverseTable(SecurityMarker),
  feeType: reverseTable(FeeType),
  paymentType: reverseTable(PaymentType),
  mediaType: reverseTable(MediaType),
  holdMode: reverseTable(HoldMode),
  holdType: reverseTable(HoldType),
  alertType: reverseTable(AlertType),
  statusCode: reverseTable(ScStatusCode),
  uidAlgorithm: reverseTable(LoginAlgorithm),
  pwdAlgorithm: reverseTable(LoginAlgorithm),
};

function withMeaning(name: string, code: string): string {
  const meaning = TABLES[name]?.get(code);
  return meaning ? `${code} (${meaning})` : code;
}

function setFlags(flags: Record<string, boolean>): string[] {
  return Object.keys(flags).filter((k) => flags[k]);
}

function renderDate(raw: string, timeZone: string): JsonValue {
  const r = parseSipDate(raw, { timeZone });
  if (!r.ok) return raw; // the warnings say why it could not be read
  return r.date === null ? null : isoWithOffset(r.date, r.offsetMinutes);
}

function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") return setFlags(value as Record<string, boolean>);
  return value as JsonValue;
}

/**
 * Describes one raw message (bytes as received, or a string) as a JSON-able object: code,
 * name, direction, named fixed and tagged fields, sequence and checksum status — or the
 * parse error. Never throws.
 */
export function describeMessage(frame: Uint8Array | string, opts: ParseOptions): Description {
  try {
    const framed = frameMessage(frame, opts);
    if (!framed.ok) {
      const { error, sequence, checksum } = framed;
      return { error, ...(error.messageCode ? { code: error.messageCode } : {}), sequence, checksum };
    }
    const { def, text, options } = framed;
    const warnings = framed.warnings;
    const model = buildModel(def, text, options, warnings) as unknown as Record<string, unknown>;

    const fixed: Record<string, JsonValue> = {};
    let pos = 2;
    for (const spec of def.fixed) {
      const width = fixedWidth(spec);
      const raw = text.slice(pos, pos + width);
      pos += width;
      const value = model[spec.name];
      if (spec.kind === "date" || spec.kind === "syncDate") fixed[spec.name] = renderDate(raw, options.timeZone);
      else if (spec.kind === "code") fixed[spec.name] = withMeaning(spec.name, String(value));
      else fixed[spec.name] = toJson(value);
    }

    const rawDates = new Map<string, string>();
    for (const seg of splitSegments(text, pos, options.delimiter, [])) if (!rawDates.has(seg.id)) rawDates.set(seg.id, seg.value);
    const fields: Record<string, JsonValue> = {};
    for (const spec of def.fields) {
      const value = model[spec.name];
      if (value === undefined) continue;
      if (spec.kind === "date") fields[spec.name] = renderDate(rawDates.get(spec.id) ?? "", options.timeZone);
      else if (spec.kind === "code") fields[spec.name] = withMeaning(spec.name, String(value));
      else fields[spec.name] = toJson(value);
    }
    for (const f of (model.unknownFields as { id: string; value: string }[] | undefined) ?? []) {
      const prev = fields[f.id];
      if (prev === undefined) fields[f.id] = f.value;
      else fields[f.id] = Array.isArray(prev) ? [...prev, f.value] : [prev, f.value];
    }

    return {
      code: def.code,
      name: def.name,
      direction: def.direction,
      fixed,
      fields,
      sequence: framed.sequence,
      checksum: framed.checksum,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  } catch (e) {
    return {
      error: { code: "internal_error", reason: `internal error: ${e instanceof Error ? e.message : String(e)}` },
      sequence: null,
      checksum: "absent",
    };
  }
}
