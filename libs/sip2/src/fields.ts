/**
 * Building blocks of the table-driven codec: how a fixed (positional) field or a tagged
 * (ID + value + delimiter) field is read and written, and the type machinery that checks
 * each message definition against its model interface at compile time.
 */
import type { PatronStatus, Summary, SupportedMessages } from "./codes.js";

/** Who sends a message: the SC (kiosk) sends requests, the ACS (server) sends responses. */
export type Direction = "request" | "response";

/** A tagged field as it appeared on the wire: 2-char ID and value (without delimiter). */
export interface SipField {
  /** Field ID, normally two upper-case letters. */
  id: string;
  /** Value, 0–255 characters. */
  value: string;
}

/** Every message model has its 2-digit code and may carry fields the codec does not know. */
export interface SipMessageBase {
  /** Two-digit message code. */
  code: string;
  /** Tagged fields not defined for this message, in wire order; re-emitted after the known ones. */
  unknownFields?: readonly SipField[];
}

/** Maximum characters in one tagged value (SPEC). Longer AF/AG are split into repeats; others truncated. */
export const MAX_VALUE_LENGTH = 255;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type IsOptional<M, K extends keyof M> = Partial<Pick<M, K>> extends Pick<M, K> ? true : false;
/** Required keys of M whose type is exactly T. */
export type ReqKeys<M, T> = {
  [K in keyof M]-?: IsOptional<M, K> extends true ? never : Same<M[K], T> extends true ? K : never;
}[keyof M] &
  string;
/** Optional keys of M whose type (without undefined) is exactly T. */
export type OptKeys<M, T> = {
  [K in keyof M]-?: IsOptional<M, K> extends true ? (Same<Exclude<M[K], undefined>, T> extends true ? K : never) : never;
}[keyof M] &
  string;

/**
 * Fixed-field kinds:
 * - `yn`: 1 char, `Y`/`N` → boolean (only `Y`/`y` is true).
 * - `ok`: 1 char, `1`/`0` → boolean.
 * - `ynu`: 1 char, `Y`/`N`/`U` (unknown).
 * - `date`: 18-char SIP date → Date, or null for 18 blanks (also written as blanks).
 * - `syncDate`: like `date`, but null is written as 18 zeros ("not supported", 98).
 * - `count`: digits → number, or null for blanks ("unsupported", 64 counts).
 * - `number`: digits → number, zero-padded.
 * - `code`: fixed-width code; `pad: "zero"` left-pads digit codes with 0, `"space"` right-pads with blanks.
 * - `patronStatus` (14), `summary` (10): Y/blank bit strings → named flags.
 */
export type FixedSpec<M> =
  | { kind: "yn" | "ok"; name: ReqKeys<M, boolean> }
  | { kind: "ynu"; name: ReqKeys<M, "Y" | "N" | "U"> }
  | { kind: "date" | "syncDate"; name: ReqKeys<M, Date | null> }
  | { kind: "count"; name: ReqKeys<M, number | null>; length: number }
  | { kind: "number"; name: ReqKeys<M, number>; length: number }
  | { kind: "code"; name: ReqKeys<M, string>; length: number; pad: "zero" | "space" }
  | { kind: "patronStatus"; name: ReqKeys<M, PatronStatus> }
  | { kind: "summary"; name: ReqKeys<M, Summary> };

/**
 * Tagged-field kinds:
 * - `text`: any string (required ones are always emitted, empty if need be: `AJ|`).
 * - `code`: fixed-width code in a tagged field (BT, CK, CV); digit codes left-padded with 0.
 * - `flag`: `Y`/`N` → boolean.
 * - `date`: 18-char SIP date → Date (blank or unreadable → field left out, with a warning if unreadable).
 * - `count`: 4 digits → number (BZ, CA, CB).
 * - `supported`: BX, 16 Y/N positions → named flags.
 * - `list`: repeatable text → string[]; `split` = split values over 255 chars into several fields (AF/AG).
 */
export type TagSpec<M> = { id: string } & (
  | { kind: "text"; name: ReqKeys<M, string>; required: true }
  | { kind: "text"; name: OptKeys<M, string>; required?: false }
  | { kind: "code"; name: OptKeys<M, string>; width: number; required?: false }
  | { kind: "flag"; name: OptKeys<M, boolean>; required?: false }
  | { kind: "date"; name: OptKeys<M, Date>; required?: false }
  | { kind: "count"; name: OptKeys<M, number>; required?: false }
  | { kind: "supported"; name: ReqKeys<M, SupportedMessages>; required: true }
  | { kind: "list"; name: OptKeys<M, readonly string[]>; split?: boolean; required?: false }
);

/** Width in characters of a fixed field. */
export function fixedWidth(spec: FixedSpecAny): number {
  switch (spec.kind) {
    case "yn":
    case "ok":
    case "ynu":
      return 1;
    case "date":
    case "syncDate":
      return 18;
    case "patronStatus":
      return 14;
    case "summary":
      return 10;
    default:
      return spec.length;
  }
}

/** A fixed or tagged spec with its name widened to string, as the generic codec sees it. */
export type FixedSpecAny = DistributeName<FixedSpec<Record<string, never>>>;
export type TagSpecAny = DistributeName<TagSpec<Record<string, never>>>;
type DistributeName<S> = S extends unknown ? Omit<S, "name"> & { name: string } : never;

/** One message type: code, name, direction, fixed fields in wire order, tagged fields in emit order. */
export interface MessageDef<M extends SipMessageBase = SipMessageBase> {
  /** Two-digit message code. */
  code: M["code"];
  /** Human-readable name, e.g. "Checkout Response". */
  name: string;
  /** Who sends it. */
  direction: Direction;
  /** Fixed fields, in wire order. */
  fixed: readonly FixedSpecAny[];
  /** Tagged fields, in the order the encoder emits them. */
  fields: readonly TagSpecAny[];
  /** Total characters of the fixed part (after the 2-char code). */
  fixedLength: number;
  /** Tagged specs by field ID. */
  byId: ReadonlyMap<string, TagSpecAny>;
  /** Phantom: the model type (never set at runtime). */
  readonly __model?: M;
}

type Covered<F, T> = (F extends readonly (infer X)[] ? (X extends { name: infer N } ? N : never) : never) | (T extends readonly (infer X)[] ? (X extends { name: infer N } ? N : never) : never);
type Missing<M, F, T> = Exclude<keyof M, "code" | "unknownFields" | Covered<F, T>>;
type CompleteCheck<M, F, T> = [Missing<M, F, T>] extends [never] ? unknown : { __missingFields: Missing<M, F, T> };

/**
 * Declares one message type. The fields are checked against the model `M` at compile
 * time: each name must be a property of the right type and every property of `M` must be
 * covered (a forgotten field is a type error).
 */
export function defineMessage<M extends SipMessageBase>() {
  return <const F extends readonly FixedSpec<M>[], const T extends readonly TagSpec<M>[]>(
    def: { code: M["code"]; name: string; direction: Direction; fixed: F; fields: T } & CompleteCheck<M, F, T>,
  ): MessageDef<M> => {
    const fixed = def.fixed as unknown as readonly FixedSpecAny[];
    const fields = def.fields as unknown as readonly TagSpecAny[];
    return {
      code: def.code,
      name: def.name,
      direction: def.direction,
      fixed,
      fields,
      fixedLength: fixed.reduce((n, f) => n + fixedWidth(f), 0),
      byId: new Map(fields.map((f) => [f.id, f])),
    };
  };
}

/** AF screen message and AG print line: optional, repeatable, in every response. */
export const SCREEN_AND_PRINT = [
  { id: "AF", name: "screenMessages", kind: "list", split: true },
  { id: "AG", name: "printLines", kind: "list", split: true },
] as const;

/**
 * Makes a value safe to put between delimiters: the delimiter becomes a space (as FOLIO
 * does), CR, LF and NUL are removed (they would end or corrupt the frame).
 */
export function sanitizeValue(value: string, delimiter: string): string {
  let out = value;
  if (out.includes(delimiter)) out = out.split(delimiter).join(" ");
  if (/[\r\n\0]/.test(out)) out = out.replace(/[\r\n\0]/g, "");
  return out;
}

/** Splits text into pieces of at most {@link MAX_VALUE_LENGTH} characters (code points kept whole). */
export function splitLong(value: string): string[] {
  const chars = Array.from(value);
  if (chars.length <= MAX_VALUE_LENGTH) return [value];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += MAX_VALUE_LENGTH) out.push(chars.slice(i, i + MAX_VALUE_LENGTH).join(""));
  return out;
}

/** Truncates text to {@link MAX_VALUE_LENGTH} characters (code points kept whole). */
export function truncate(value: string): string {
  if (value.length <= MAX_VALUE_LENGTH) return value;
  return Array.from(value).slice(0, MAX_VALUE_LENGTH).join("");
}
