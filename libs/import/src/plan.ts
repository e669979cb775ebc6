import type { fee, hold, item, loan, patron } from "@circulate/contracts";
import { BarcodeIndex, readCharges, readHolds, readLoans } from "./circulation.js";
import { csvRecords, ITEM_COLUMNS, PATRON_COLUMNS } from "./csv.js";
import { isTimeZone } from "./dates.js";
import { type Indexed, sectionRecords } from "./fields.js";
import { InvalidImportError, type ProblemSink } from "./problems.js";
import { type PatronInput, readItems, readPatrons, type Sourced } from "./records.js";
import { readCalendars, readInstitutions, readLoanRules, readPatronTypes, type Scope, scopeOf } from "./reference.js";
import type { CsvInput, ImportInput } from "./source.js";

export { InvalidImportError } from "./problems.js";
export type { CsvInput, ImportInput } from "./source.js";

/** The sections of an import document, in the order they are loaded. */
export const SECTIONS = ["institutions", "patronTypes", "loanRules", "calendars", "patrons", "items", "loans", "holds", "charges"] as const;

export interface PlanOptions {
  /** The moment of loading: relative dates ("today-10") count from its local date. */
  readonly now: Date;
  /** Zone for institutions that are not in the document (already loaded); none = such records are a problem. */
  readonly defaultTimeZone?: string;
}

/** The small sections' admin requests: loaded first, kept in memory. */
export interface ReferencePlan {
  readonly institutions: { readonly patron: patron.Institution[]; readonly loan: loan.Institution[]; readonly fee: fee.Institution[] };
  readonly patronTypes: patron.PatronType[];
  readonly loanRules: loan.LoanRule[];
  readonly calendars: loan.Calendar[];
}

/** Every admin request of an import, validated and with dates resolved, in loading order. */
export interface ImportPlan extends ReferencePlan {
  readonly patrons: PatronInput[];
  readonly items: item.ItemRecord[];
  readonly loans: loan.LoanRecord[];
  readonly holds: hold.HoldRecord[];
  readonly charges: fee.ChargeRecord[];
}

/** The reference sections read, and the loans, holds and charges still to be read once the barcodes are known. */
export interface ReadReference {
  readonly plan: ReferencePlan;
  readonly scope: Scope;
  readonly circulation: { readonly loans: Indexed[]; readonly holds: Indexed[]; readonly charges: Indexed[] };
}

/** Checks the document's keys and reads its small sections (everything but patrons and items). */
export function readReference(document: unknown, options: PlanOptions, problems: ProblemSink): ReadReference {
  if (options.defaultTimeZone !== undefined && !isTimeZone(options.defaultTimeZone)) {
    throw new InvalidImportError([`default time zone ${JSON.stringify(options.defaultTimeZone)} is not an IANA time zone`]);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new InvalidImportError(["the document must be a JSON object"]);
  const doc = document as Record<string, unknown>;
  const known = new Set<string>(SECTIONS);
  for (const key of Object.keys(doc)) {
    if (key === "$schema" || key === "description") continue;
    if (!known.has(key)) problems.push(`unknown section ${JSON.stringify(key)} (sections: ${SECTIONS.join(", ")})`);
  }
  const institutions = readInstitutions(sectionRecords(doc, "institutions", problems), problems);
  const scope = scopeOf(institutions.inputs, options.now, options.defaultTimeZone);
  const patronTypes = readPatronTypes(sectionRecords(doc, "patronTypes", problems), scope, problems);
  const loanRules = readLoanRules(sectionRecords(doc, "loanRules", problems), scope, problems);
  const calendars = readCalendars(sectionRecords(doc, "calendars", problems), scope, institutions.fee, problems);
  return {
    plan: { institutions: { patron: institutions.patron, loan: institutions.loan, fee: institutions.fee }, patronTypes, loanRules, calendars },
    scope,
    circulation: { loans: sectionRecords(doc, "loans", problems), holds: sectionRecords(doc, "holds", problems), charges: sectionRecords(doc, "charges", problems) },
  };
}

/** Loans, holds and charges, once the patrons' and items' barcodes they name without an institution are in `index`. */
export function readCirculation(read: ReadReference, index: BarcodeIndex, problems: ProblemSink) {
  const { loans, holds, charges } = read.circulation;
  return {
    loans: readLoans(loans, read.scope, index.barcodes, problems),
    holds: readHolds(holds, read.scope, index.barcodes, problems),
    charges: readCharges(charges, read.scope, index.barcodes, problems),
  };
}

/**
 * Validates a whole input held in memory and turns it into the services'
 * admin requests. Pure: the same input and `now` give the same plan. Throws
 * {@link InvalidImportError} listing every problem. Large inputs go through
 * `runImport`, which streams them instead.
 */
export function planImport(input: ImportInput, options: PlanOptions): ImportPlan {
  const problems: string[] = [];
  const read = readReference(input.document, options, problems);
  const document = input.document as Record<string, unknown>;
  const patronRecords: Sourced[] = [...sectionRecords(document, "patrons", problems), ...csvSection(input.patronsCsv, PATRON_COLUMNS, problems)];
  const itemRecords: Sourced[] = [...sectionRecords(document, "items", problems), ...csvSection(input.itemsCsv, ITEM_COLUMNS, problems)];
  const patrons = readPatrons(patronRecords, read.scope, problems);
  const items = readItems(itemRecords, problems);
  const index = new BarcodeIndex(Object.values(read.circulation));
  for (const p of patrons) index.note("patron", p.record.patron!.institutionId, p.record.patron!.barcode);
  for (const i of items) index.note("item", i.item!.institutionId, i.item!.barcode);
  const circulation = readCirculation(read, index, problems);
  if (problems.length > 0) throw new InvalidImportError(problems);
  return { ...read.plan, patrons, items, ...circulation };
}

function csvSection(csv: CsvInput | undefined, columns: readonly string[], problems: string[]): Sourced[] {
  if (!csv) return [];
  const { records, problems: found } = csvRecords(csv.text, columns, csv.file);
  problems.push(...found);
  return records.map((record, index) => ({ index, record, source: csv.file }));
}
