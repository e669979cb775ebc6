/**
 * Readers for request option values (dates, codes, summary categories). Pure: they turn
 * what a person types into model values or throw a {@link UsageError} naming the option.
 */
import { parseSipDate, SummaryPosition, type Summary, noFlags } from "@circulate/sip2";
import { UsageError } from "../usage.js";

/** Option values as `parseArgs` returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A string option's value, or undefined (a boolean given for it never happens with parseArgs). */
export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** A string option that must be given and non-empty. */
export function required(values: OptionValues, name: string): string {
  const v = str(values, name);
  if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

/** A boolean option: true only when given. */
export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const SIP_DATE_RE = /^\d{8}[ A-Z0-9]{4}\d{6}$/;

/**
 * Reads a date option: `2025-02-05` (end of that day, 23:59:00, in `timeZone`),
 * `2025-02-05T14:30[:00]` (wall time in `timeZone`), an ISO time with offset or `Z`, or an
 * 18-character SIP date as sent on the wire.
 */
export function dateOption(value: string, name: string, timeZone: string): Date {
  let sip: string | undefined;
  if (SIP_DATE_RE.test(value)) sip = value;
  const day = DAY_RE.exec(value);
  if (day) {
    const [, y, mo, d, h, mi, s] = day;
    sip = h === undefined ? `${y}${mo}${d}    235900` : `${y}${mo}${d}    ${h}${mi}${s ?? "00"}`;
  }
  if (sip !== undefined) {
    const r = parseSipDate(sip, { timeZone });
    if (r.ok && r.date) return r.date;
    throw new UsageError(`--${name}: not a date: ${JSON.stringify(value)}`);
  }
  const t = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new UsageError(`--${name}: not a date: ${JSON.stringify(value)} (use 2025-02-05, 2025-02-05T14:30, an ISO time with offset or a SIP date)`);
  return new Date(t);
}

function camelToDashed(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Reads a code option: a code of `width` digits/characters as sent (`04`, `4`), or a name from
 * the code table in camelCase or dashed form (`overdue`, `hold-fee`, `holdFee`).
 */
export function codeOption(table: Record<string, string>, value: string, name: string, width: number): string {
  for (const [key, code] of Object.entries(table)) {
    if (value === key || value === camelToDashed(key) || value === code) return code;
  }
  if (/^\d+$/.test(value) && value.length <= width) return value.padStart(width, "0");
  const names = Object.keys(table).map(camelToDashed).join(", ");
  throw new UsageError(`--${name}: unknown value ${JSON.stringify(value)} (use a ${width}-character code or one of ${names})`);
}

/** Short names for the 63 summary categories: `--summary charged` asks for the charged items. */
export const SUMMARY_NAMES = {
  hold: "holdItems",
  overdue: "overdueItems",
  charged: "chargedItems",
  fine: "fineItems",
  recall: "recallItems",
  unavailable: "unavailableHolds",
  fees: "extendedFees",
} as const satisfies Record<string, keyof Summary>;

/** `--summary NAME`: one category (the spec allows at most one), or none. */
export function summaryOption(value: string | undefined): Summary {
  const summary = noFlags(SummaryPosition);
  if (value === undefined || value === "" || value === "none") return summary;
  const key = Object.hasOwn(SUMMARY_NAMES, value)
    ? SUMMARY_NAMES[value as keyof typeof SUMMARY_NAMES]
    : Object.values(SUMMARY_NAMES).find((k) => k === value);
  if (!key) throw new UsageError(`--summary: unknown category ${JSON.stringify(value)} (use ${Object.keys(SUMMARY_NAMES).join(", ")})`);
  summary[key] = true;
  return summary;
}
