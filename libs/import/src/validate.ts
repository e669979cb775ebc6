/**
 * The validation pass: reads the whole input once, record by record, and
 * finds every problem before anything is sent. What it keeps grows with the
 * small sections only, plus 8 bytes a patron or item for the duplicate check
 * (see {@link KeySet}); it counts the patrons and items so the loading pass
 * can tell how far it is.
 */
import type { fee, hold, loan } from "@circulate/contracts";
import { BarcodeIndex } from "./circulation.js";
import { sectionRecords } from "./fields.js";
import { KeySet } from "./keys.js";
import { type PlanOptions, type ReadReference, type ReferencePlan, readCirculation, readReference } from "./plan.js";
import { InvalidImportError, type ProblemList } from "./problems.js";
import { readItem, readPatron, type SeenKeys, type Sourced } from "./records.js";
import type { Scope } from "./reference.js";
import { type ImportSource, LARGE_SECTIONS, type SourceRecord } from "./source.js";

/** A valid input, ready for the loading pass, which reads the patrons and items again. */
export interface ValidatedImport {
  readonly reference: ReferencePlan;
  readonly scope: Scope;
  readonly loans: loan.LoanRecord[];
  readonly holds: hold.HoldRecord[];
  readonly charges: fee.ChargeRecord[];
  readonly counts: { readonly patrons: number; readonly items: number };
}

/** Accepts every key: the loading pass reads records the validation pass already checked for duplicates. */
export const ANY_KEY: SeenKeys = { add: () => true };

/** A large section's record as the readers take it; a record that is not an object is a problem (and undefined). */
export function sourcedOf(r: SourceRecord, problems: { push(p: string): unknown }): Sourced | undefined {
  if (typeof r.record === "object" && r.record !== null && !Array.isArray(r.record)) return r as Sourced;
  problems.push(`${r.section}[${r.index}]: must be an object`);
  return undefined;
}

/**
 * Validates `source` and returns what the loading pass needs, or throws
 * {@link InvalidImportError} with the first problems (all of them go to
 * `problems`). `progress` hears every patron and item read, and the end of the pass (valid or not).
 */
export async function validateImport(
  source: ImportSource,
  options: PlanOptions,
  problems: ProblemList,
  progress: { record(count: number): void; done(count: number): void },
): Promise<ValidatedImport> {
  const document = await source.reference();
  const read: ReadReference = readReference(document, options, problems);
  // The source leaves out the arrays of patrons and items; what is left of them is not an array, and a problem.
  for (const section of LARGE_SECTIONS) sectionRecords(document, section, problems);
  const index = new BarcodeIndex(Object.values(read.circulation));
  const seen = { patrons: new KeySet(), items: new KeySet() };
  const counts = { patrons: 0, items: 0 };
  for await (const r of source.records(problems)) {
    const s = sourcedOf(r, problems);
    if (s) {
      if (r.section === "patrons") {
        const p = readPatron(s, read.scope, seen.patrons, problems).record.patron!;
        index.note("patron", p.institutionId, p.barcode);
      } else {
        const i = readItem(s, seen.items, problems).item!;
        index.note("item", i.institutionId, i.barcode);
      }
    }
    counts[r.section]++;
    progress.record(counts.patrons + counts.items);
  }
  progress.done(counts.patrons + counts.items);
  const circulation = readCirculation(read, index, problems);
  if (problems.length > 0) throw new InvalidImportError(problems.kept, problems.length);
  return { reference: read.plan, scope: read.scope, ...circulation, counts };
}
