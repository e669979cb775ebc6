import { type common, moneyFromDecimal } from "@circulate/contracts";
import type { ProblemSink } from "./problems.js";
import { type DayEdge, type LocalDate, parseDateValue, toInstant, toLocalDate } from "./dates.js";

/** Fields whose values never appear in a problem. */
const SECRET_FIELDS = new Set(["pin"]);

/**
 * Reads the fields of one input record and collects every problem with the
 * record's name (`patrons[3] (MAIN/P0004): expires: …`), so a whole document is
 * checked in one pass and the operator sees all mistakes at once. Unknown
 * fields are problems too: a misspelt `blockReson` must not silently load a
 * patron without a block.
 */
export class RecordReader {
  constructor(
    readonly where: string,
    private readonly record: Record<string, unknown>,
    private readonly problems: ProblemSink,
    allowed: readonly string[],
  ) {
    const known = knownFields(allowed);
    for (const key in record) if (Object.hasOwn(record, key) && !known.has(key)) this.problem(`unknown field ${JSON.stringify(key)}`);
  }

  problem(text: string): void {
    this.problems.push(`${this.where}: ${text}`);
  }

  has(name: string): boolean {
    return this.record[name] !== undefined && this.record[name] !== null;
  }

  /** A string; "" when absent. `required` makes absent or blank a problem. */
  string(name: string, required = false): string {
    const v = this.record[name];
    if (v === undefined || v === null) {
      if (required) this.problem(`${name} is required`);
      return "";
    }
    if (typeof v !== "string") {
      // A PIN given as a number is a likely mistake; the problem list is shown and logged.
      this.problem(`${name} must be a string, got ${SECRET_FIELDS.has(name) ? `a ${typeof v} (not shown)` : JSON.stringify(v)}`);
      return "";
    }
    if (required && v.trim() === "") this.problem(`${name} must not be empty`);
    return v.trim();
  }

  /** A string that may be absent (undefined) but never empty when given. */
  optionalString(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const v = this.string(name);
    if (v === "") {
      if (typeof this.record[name] === "string") this.problem(`${name} is empty (leave it out instead)`);
      return undefined;
    }
    return v;
  }

  boolean(name: string): boolean | undefined {
    if (!this.has(name)) return undefined;
    const v = this.record[name];
    if (typeof v !== "boolean") {
      this.problem(`${name} must be true or false, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  }

  /** A whole number ≥ 0 (CSV cells arrive as strings and are accepted when they are digits). */
  count(name: string, max = 1_000_000_000): number | undefined {
    if (!this.has(name)) return undefined;
    const raw = this.record[name];
    const v = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
      this.problem(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return v;
  }

  /** An array of strings ([] when absent). */
  strings(name: string): string[] {
    if (!this.has(name)) return [];
    const v = this.record[name];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
      this.problem(`${name} must be an array of strings`);
      return [];
    }
    return v as string[];
  }

  /** An array of whole numbers within [0, max] ([] when absent). */
  counts(name: string, max: number): number[] {
    if (!this.has(name)) return [];
    const v = this.record[name];
    if (!Array.isArray(v) || v.some((n) => typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > max)) {
      this.problem(`${name} must be an array of whole numbers from 0 to ${max}`);
      return [];
    }
    return v as number[];
  }

  /** An amount as a decimal string or number ("12.50", 12.5) in `currency`. */
  money(name: string, currency: string): common.Money | undefined {
    if (!this.has(name)) return undefined;
    const v = this.record[name];
    if (typeof v !== "string" && typeof v !== "number") {
      this.problem(`${name} must be an amount such as "12.50", got ${JSON.stringify(v)}`);
      return undefined;
    }
    if (currency === "") {
      this.problem(`${name}: no currency (give the institution a currency, or currency on the record)`);
      return undefined;
    }
    try {
      return moneyFromDecimal(String(v), currency);
    } catch (err) {
      this.problem(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** A date or time as an instant; a bare date is the start or end of that day in `zone`. */
  instant(name: string, zone: string, today: LocalDate, edge: DayEdge, required = false): Date | undefined {
    const text = this.string(name, required);
    if (text === "" || zone === "") return undefined;
    const value = parseDateValue(text, today);
    if (typeof value === "string") {
      this.problem(`${name}: ${value}`);
      return undefined;
    }
    return toInstant(value, zone, edge);
  }

  /** A local date `YYYY-MM-DD` ("" when absent); relative values are allowed. */
  localDate(name: string, zone: string, today: LocalDate): string {
    const text = this.string(name);
    if (text === "") return "";
    return this.dateText(name, text, zone, today);
  }

  /** The elements of a list of local dates. */
  localDates(name: string, zone: string, today: LocalDate): string[] {
    return this.strings(name).map((text) => this.dateText(name, text, zone, today));
  }

  private dateText(name: string, text: string, zone: string, today: LocalDate): string {
    const value = parseDateValue(text, today);
    if (typeof value === "string") {
      this.problem(`${name}: ${value}`);
      return "";
    }
    return toLocalDate(value, zone);
  }

  /**
   * A protobuf enum value by its short name, case-insensitive (`"missing"` for
   * ITEM_STATE_MISSING); undefined when absent.
   */
  enumValue<T extends Record<string, string>>(name: string, values: T): T[keyof T] | undefined {
    if (!this.has(name)) return undefined;
    const text = this.string(name);
    const key = text.toUpperCase().replace(/[\s-]+/g, "_");
    if (key === "UNSPECIFIED" || key === "UNRECOGNIZED" || !Object.hasOwn(values, key)) {
      const names = Object.keys(values)
        .filter((k) => k !== "UNSPECIFIED" && k !== "UNRECOGNIZED")
        .map((k) => k.toLowerCase());
      this.problem(`${name}: ${JSON.stringify(text)} is not one of ${names.join(", ")}`);
      return undefined;
    }
    return values[key as keyof T];
  }
}

const fieldSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The allowed fields as a set, made once per list rather than once per record (a million of them). */
function knownFields(allowed: readonly string[]): ReadonlySet<string> {
  const set = fieldSets.get(allowed) ?? new Set(allowed);
  fieldSets.set(allowed, set);
  return set;
}

/** One input record with its position in its section (for problem messages). */
export interface Indexed {
  readonly index: number;
  readonly record: Record<string, unknown>;
}

/** The records of one section: an array of objects; anything else is a problem. */
export function sectionRecords(document: Record<string, unknown>, section: string, problems: ProblemSink): Indexed[] {
  const v = document[section];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push(`${section}: must be an array of records`);
    return [];
  }
  const out: Indexed[] = [];
  v.forEach((record: unknown, index) => {
    if (typeof record === "object" && record !== null && !Array.isArray(record)) out.push({ index, record: record as Record<string, unknown> });
    else problems.push(`${section}[${index}]: must be an object`);
  });
  return out;
}
