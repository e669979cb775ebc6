import type { fee, hold, item, loan, patron } from "@circulate/contracts";
import { barcodesOf, readCharges, readHolds, readLoans } from "./circulation.js";
import { csvRecords, ITEM_COLUMNS, PATRON_COLUMNS } from "./csv.js";
import { isTimeZone } from "./dates.js";
import { sectionRecords } from "./fields.js";
import { type PatronInput, readItems, readPatrons, type Sourced } from "./records.js";
import { readCalendars, readInstitutions, readLoanRules, readPatronTypes, scopeOf } from "./reference.js";

/** The sections of an import document, in the order they are loaded. */
export const SECTIONS = ["institutions", "patronTypes", "loanRules", "calendars", "patrons", "items", "loans", "holds", "charges"] as const;

/** A CSV file's text and the name it is reported under. */
export interface CsvInput {
  readonly file: string;
  readonly text: string;
}

export interface ImportInput {
  /** The parsed JSON document (an object with any of {@link SECTIONS}). */
  readonly document: unknown;
  readonly patronsCsv?: CsvInput;
  readonly itemsCsv?: CsvInput;
}

export interface PlanOptions {
  /** The moment of loading: relative dates ("today-10") count from its local date. */
  readonly now: Date;
  /** Zone for institutions that are not in the document (already loaded); none = such records are a problem. */
  readonly defaultTimeZone?: string;
}

/** Every admin request of an import, validated and with dates resolved, in loading order. */
export interface ImportPlan {
  readonly institutions: { readonly patron: patron.Institution[]; readonly loan: loan.Institution[]; readonly fee: fee.Institution[] };
  readonly patronTypes: patron.PatronType[];
  readonly loanRules: loan.LoanRule[];
  readonly calendars: loan.Calendar[];
  readonly patrons: PatronInput[];
  readonly items: item.ItemRecord[];
  readonly loans: loan.LoanRecord[];
  readonly holds: hold.HoldRecord[];
  readonly charges: fee.ChargeRecord[];
}

/** The input is invalid: every problem found, each naming its record. Nothing was sent. */
export class InvalidImportError extends Error {
  override readonly name = "InvalidImportError";
  constructor(readonly problems: readonly string[]) {
    super(`the import is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was loaded:\n  ${problems.join("\n  ")}`);
  }
}

/**
 * Validates the whole input and turns it into the services' admin requests.
 * Pure: the same input and `now` give the same plan. Throws
 * {@link InvalidImportError} listing every problem.
 */
export function planImport(input: ImportInput, options: PlanOptions): ImportPlan {
  const problems: string[] = [];
  if (options.defaultTimeZone !== undefined && !isTimeZone(options.defaultTimeZone)) {
    throw new InvalidImportError([`default time zone ${JSON.stringify(options.defaultTimeZone)} is not an IANA time zone`]);
  }
  const doc = input.document;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InvalidImportError(["the document must be a JSON object"]);
  const document = doc as Record<string, unknown>;
  const known = new Set<string>(SECTIONS);
  for (const key of Object.keys(document)) {
    if (key === "$schema" || key === "description") continue;
    if (!known.has(key)) problems.push(`unknown section ${JSON.stringify(key)} (sections: ${SECTIONS.join(", ")})`);
  }

  const institutions = readInstitutions(sectionRecords(document, "institutions", problems), problems);
  const scope = scopeOf(institutions.inputs, options.now, options.defaultTimeZone);
  const patronTypes = readPatronTypes(sectionRecords(document, "patronTypes", problems), scope, problems);
  const loanRules = readLoanRules(sectionRecords(document, "loanRules", problems), scope, problems);
  const calendars = readCalendars(sectionRecords(document, "calendars", problems), scope, institutions.fee, problems);

  const patronRecords: Sourced[] = [...sectionRecords(document, "patrons", problems), ...csvSection(input.patronsCsv, PATRON_COLUMNS, problems)];
  const itemRecords: Sourced[] = [...sectionRecords(document, "items", problems), ...csvSection(input.itemsCsv, ITEM_COLUMNS, problems)];
  const patrons = readPatrons(patronRecords, scope, problems);
  const items = readItems(itemRecords, problems);

  const barcodes = barcodesOf(
    patrons.map((p) => p.record.patron!),
    items.map((i) => i.item!),
  );
  const loans = readLoans(sectionRecords(document, "loans", problems), scope, barcodes, problems);
  const holds = readHolds(sectionRecords(document, "holds", problems), scope, barcodes, problems);
  const charges = readCharges(sectionRecords(document, "charges", problems), scope, barcodes, problems);

  if (problems.length > 0) throw new InvalidImportError(problems);
  return {
    institutions: { patron: institutions.patron, loan: institutions.loan, fee: institutions.fee },
    patronTypes,
    loanRules,
    calendars,
    patrons,
    items,
    loans,
    holds,
    charges,
  };
}

function csvSection(csv: CsvInput | undefined, columns: readonly string[], problems: string[]): Sourced[] {
  if (!csv) return [];
  const { records, problems: found } = csvRecords(csv.text, columns, csv.file);
  problems.push(...found);
  return records.map((record, index) => ({ index, record, source: csv.file }));
}
