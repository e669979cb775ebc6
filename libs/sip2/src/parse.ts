/**
 * Lenient, total parsing: any input gives a result object, never an exception.
 * See README "Leniency" for what is accepted beyond the spec.
 */
import type { ChecksumStatus } from "./checksum.js";
import { PatronStatusPosition, readFlags, SummaryPosition, SupportedMessagePosition } from "./codes.js";
import { parseSipDate } from "./dates.js";
import { type Direction, type FixedSpecAny, fixedWidth, type MessageDef, type SipField, type TagSpecAny } from "./fields.js";
import { frameMessage, type ParseError, type ParseOptions, type ParseWarning, splitSegments } from "./frame.js";
import type { SipMessage, SipRequest, SipResponse } from "./messages/index.js";
import type { ResolvedOptions } from "./options.js";

export type { ParseError, ParseErrorCode, ParseOptions, ParseWarning, ParseWarningCode } from "./frame.js";

/** A parsed message with what the trailer said and the leniencies applied. */
export interface ParseSuccess<M> {
  ok: true;
  /** The typed message (discriminate on `message.code`). */
  message: M;
  /** The AY sequence number, or null when absent or not a single digit. */
  sequence: number | null;
  /** Checksum verdict, computed on the raw bytes. */
  checksum: ChecksumStatus;
  /** Deviations from the spec that were tolerated (empty for a clean message). */
  warnings: ParseWarning[];
}

/** A message that could not be parsed; the trailer is still reported when it could be read. */
export interface ParseFailure {
  ok: false;
  /** Why parsing failed. */
  error: ParseError;
  /** The AY sequence number, if the trailer could be read. */
  sequence: number | null;
  /** Checksum verdict, if the trailer could be read (`absent` otherwise). */
  checksum: ChecksumStatus;
}

export type ParseResult<M = SipMessage> = ParseSuccess<M> | ParseFailure;

const isBlank = (s: string) => s.trim() === "";

function badValue(warnings: ParseWarning[], field: string, reason: string): void {
  warnings.push({ code: "bad_value", field, reason });
}

// No closures in the hot path: allocating one per call costs more than the parsing itself.
function readFixed(spec: FixedSpecAny, raw: string, opts: ResolvedOptions, warnings: ParseWarning[]): unknown {
  switch (spec.kind) {
    case "yn":
      if (!/^[YNyn]$/.test(raw)) badValue(warnings, spec.name, `expected Y or N, got ${JSON.stringify(raw)}; read as N`);
      return raw === "Y" || raw === "y";
    case "ok":
      if (raw !== "1" && raw !== "0") badValue(warnings, spec.name, `expected 1 or 0, got ${JSON.stringify(raw)}; read as 0`);
      return raw === "1";
    case "ynu": {
      const up = raw.toUpperCase();
      if (up === "Y" || up === "N" || up === "U") return up;
      badValue(warnings, spec.name, `expected Y, N or U, got ${JSON.stringify(raw)}; read as U`);
      return "U";
    }
    case "date":
    case "syncDate": {
      const r = parseSipDate(raw, opts);
      if (r.ok) return r.date;
      badValue(warnings, spec.name, `${r.reason}; read as no date`);
      return null;
    }
    case "count":
    case "number": {
      if (/^\d+$/.test(raw)) return Number(raw);
      if (spec.kind === "count" && isBlank(raw)) return null;
      badValue(warnings, spec.name, `expected ${spec.length} digits, got ${JSON.stringify(raw)}`);
      return spec.kind === "count" ? null : 0;
    }
    case "code":
      return spec.pad === "space" ? raw.trimEnd() : raw;
    case "patronStatus":
      return readFlags(PatronStatusPosition, raw);
    case "summary":
      return readFlags(SummaryPosition, raw);
  }
}

/** Reads one tagged value; `undefined` = leave the field out. */
function readTagged(spec: TagSpecAny, value: string, opts: ResolvedOptions, warnings: ParseWarning[]): unknown {
  switch (spec.kind) {
    case "text":
    case "code":
      return value;
    case "flag":
      if (value === "") return undefined;
      if (!/^[YNyn]$/.test(value)) badValue(warnings, `${spec.id} ${spec.name}`, `expected Y or N, got ${JSON.stringify(value)}; read as N`);
      return value === "Y" || value === "y";
    case "date": {
      if (isBlank(value)) return undefined;
      const r = parseSipDate(value, opts);
      if (r.ok) return r.date ?? undefined;
      badValue(warnings, `${spec.id} ${spec.name}`, `${r.reason}; field left out`);
      return undefined;
    }
    case "count":
      if (isBlank(value)) return undefined;
      if (/^\d+$/.test(value.trim())) return Number(value.trim());
      badValue(warnings, `${spec.id} ${spec.name}`, `expected digits, got ${JSON.stringify(value)}; field left out`);
      return undefined;
    case "supported":
      if (value.length < 16) badValue(warnings, `${spec.id} ${spec.name}`, `expected 16 Y/N positions, got ${value.length}; missing ones read as N`);
      return readFlags(SupportedMessagePosition, value);
    case "list":
      return value;
  }
}

function defaultFor(spec: TagSpecAny): unknown {
  return spec.kind === "supported" ? readFlags(SupportedMessagePosition, "") : "";
}

/** Builds the typed model from a framed message (fixed part already length-checked). */
export function buildModel(def: MessageDef, text: string, opts: ResolvedOptions, warnings: ParseWarning[]): SipMessage {
  const msg: Record<string, unknown> = { code: def.code };
  let pos = 2;
  for (const spec of def.fixed) {
    const width = fixedWidth(spec);
    msg[spec.name] = readFixed(spec, text.slice(pos, pos + width), opts, warnings);
    pos += width;
  }
  const seen = new Set<string>();
  const unknown: SipField[] = [];
  for (const seg of splitSegments(text, pos, opts.delimiter, warnings)) {
    const spec = def.byId.get(seg.id);
    if (!spec) {
      unknown.push(seg);
      continue;
    }
    if (spec.kind === "list") {
      const list = (msg[spec.name] as string[] | undefined) ?? [];
      list.push(seg.value);
      msg[spec.name] = list;
      continue;
    }
    if (seen.has(seg.id)) {
      warnings.push({ code: "duplicate_field", field: `${seg.id} ${spec.name}`, reason: "repeated field; the first value wins" });
      continue;
    }
    seen.add(seg.id);
    const value = readTagged(spec, seg.value, opts, warnings);
    if (value !== undefined) msg[spec.name] = value;
  }
  for (const spec of def.fields) {
    if (spec.required && !seen.has(spec.id)) {
      warnings.push({ code: "missing_required", field: `${spec.id} ${spec.name}`, reason: "required field is missing; read as empty" });
      msg[spec.name] = defaultFor(spec);
    }
  }
  if (unknown.length > 0) msg.unknownFields = unknown;
  return msg as unknown as SipMessage;
}

function parse(input: Uint8Array | string, opts: ParseOptions, direction?: Direction): ParseResult {
  try {
    const framed = frameMessage(input, opts, direction);
    if (!framed.ok) return framed;
    const warnings = framed.warnings;
    const message = buildModel(framed.def, framed.text, framed.options, warnings);
    return { ok: true, message, sequence: framed.sequence, checksum: framed.checksum, warnings };
  } catch (e) {
    // Defence in depth: parsing is designed not to throw; if it ever does, report it as data.
    return {
      ok: false,
      error: { code: "internal_error", reason: `internal parser error: ${e instanceof Error ? e.message : String(e)}` },
      sequence: null,
      checksum: "absent",
    };
  }
}

/**
 * Parses one SIP2 message of either direction (bytes as received, or a string that is
 * encoded with `opts.charset` before the checksum is checked). A trailing CR/LF, leading
 * LF/whitespace and control bytes are ignored. Never throws.
 *
 * @example
 * const r = parseMessage(frame, { timeZone: "Europe/Oslo" });
 * if (r.ok && r.message.code === "11") handleCheckout(r.message);
 */
export function parseMessage(input: Uint8Array | string, opts: ParseOptions): ParseResult<SipMessage> {
  return parse(input, opts);
}

/**
 * Parses a message an SC (kiosk) sends; a response code gives `wrong_direction`.
 * Never throws.
 */
export function parseRequest(input: Uint8Array | string, opts: ParseOptions): ParseResult<SipRequest> {
  return parse(input, opts, "request") as ParseResult<SipRequest>;
}

/**
 * Parses a message an ACS (server) sends; a request code gives `wrong_direction`.
 * Never throws.
 */
export function parseResponse(input: Uint8Array | string, opts: ParseOptions): ParseResult<SipResponse> {
  return parse(input, opts, "response") as ParseResult<SipResponse>;
}
