import type { ChannelCredentials } from "@grpc/grpc-js";
import { ImportCallError, ImportClients, type ImportSummary, type ServiceAddresses } from "./adapters/grpc.js";
import { type ImportProgress, ProgressMeter } from "./progress.js";
import { InvalidImportError, ProblemList, type ProblemSink } from "./problems.js";
import { readItem, readPatron } from "./records.js";
import { type ImportInput, type ImportSource, sourceOf } from "./source.js";
import { ANY_KEY, sourcedOf, type ValidatedImport, validateImport } from "./validate.js";

export interface RunImportOptions {
  /** The services' gRPC addresses. */
  readonly addresses: ServiceAddresses;
  /** The moment of loading (relative dates count from it); default now. */
  readonly now?: Date;
  /** Zone for institutions not in the document. */
  readonly defaultTimeZone?: string;
  /** Validate only: nothing is sent, the summary is empty. */
  readonly dryRun?: boolean;
  /** How to reach the services: mutual TLS when they require it (GRPC_TLS_*); default plain text. */
  readonly credentials?: ChannelCredentials;
  /** Hears where the import is: at most every `progressIntervalMs` per section, and at the end of each. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Hears every problem of the input as it is found, each naming its record (the error keeps only the first 1,000). */
  readonly onProblem?: (problem: string) => void;
  /** Default 1000. */
  readonly progressIntervalMs?: number;
  /** Batches of patrons (and of items) sent at once; default 4 (`DEFAULT_BATCHES_IN_FLIGHT`). */
  readonly batchesInFlight?: number;
}

export interface ImportResult {
  /** What the services reported; null for a dry run. */
  readonly summary: ImportSummary | null;
  /** Records in the input, all sections. */
  readonly records: number;
}

/**
 * Validates the whole input (throwing {@link InvalidImportError} before
 * anything is sent), then loads it through the services' admin APIs. Patrons
 * and items are streamed twice (validation, then loading) and never held
 * whole. Running it again with the same input changes nothing and reports
 * everything unchanged.
 */
export async function runImport(input: ImportInput | ImportSource, options: RunImportOptions): Promise<ImportResult> {
  const source = sourceOf(input);
  const report = options.onProgress ?? (() => {});
  const clock = () => performance.now();
  const interval = options.progressIntervalMs ?? 1000;
  const problems = new ProblemList(options.onProblem);

  const checking = new ProgressMeter("validating", "records", undefined, clock, interval);
  const valid = await validateImport(
    source,
    { now: options.now ?? new Date(), ...(options.defaultTimeZone ? { defaultTimeZone: options.defaultTimeZone } : {}) },
    problems,
    {
      record(n) {
        if (n % 256 !== 0) return;
        const at = source.position();
        const p = checking.update(n, at.total > 0 ? at.done / at.total : undefined);
        if (p) report(p);
      },
      done: (n) => report(checking.finish(n)),
    },
  );
  const ref = valid.reference;
  const records =
    ref.institutions.patron.length +
    ref.patronTypes.length +
    ref.loanRules.length +
    ref.calendars.length +
    valid.counts.patrons +
    valid.counts.items +
    valid.loans.length +
    valid.holds.length +
    valid.charges.length;
  if (options.dryRun) return { summary: null, records };

  const clients = new ImportClients(options.addresses, options.credentials, options.batchesInFlight);
  try {
    await clients.reference(ref);
    const meters = new Map<string, { meter: ProgressMeter; done: number }>();
    const totals: Record<string, number> = { ...valid.counts, loans: valid.loans.length, holds: valid.holds.length, charges: valid.charges.length };
    const meterOf = (section: string) => {
      const m = meters.get(section) ?? { meter: new ProgressMeter("loading", section, totals[section], clock, interval), done: 0 };
      meters.set(section, m);
      return m;
    };
    const sent = (section: string, n: number) => {
      const m = meterOf(section);
      m.done += n;
      const p = m.done === totals[section] ? m.meter.finish(m.done) : m.meter.update(m.done);
      if (p) report(p);
    };
    await loadRecords(source, valid, clients, sent);
    await clients.circulation(valid, sent);
    return { summary: clients.summary, records };
  } finally {
    clients.close();
  }
}

/** The loading pass over patrons and items: read again, converted again, sent in batches. */
async function loadRecords(
  source: ImportSource,
  valid: ValidatedImport,
  clients: ImportClients,
  sent: (section: string, n: number) => void,
): Promise<void> {
  // The validation pass found nothing wrong: a problem now means the files changed in between.
  const changed: ProblemSink = {
    push: (p: string) => {
      throw new ImportCallError("reading the input again", undefined, `it changed since it was validated: ${p}`);
    },
    length: 0,
  };
  const patrons = clients.patronSender((n) => sent("patrons", n));
  const items = clients.itemSender((n) => sent("items", n));
  const read = { patrons: 0, items: 0 };
  for await (const r of source.records(changed)) {
    const s = sourcedOf(r, changed)!;
    // A section's first record starts its clock (and a report of 0 done).
    if (read[r.section]++ === 0) sent(r.section, 0);
    if (r.section === "patrons") await patrons.add(readPatron(s, valid.scope, ANY_KEY, changed));
    else await items.add(readItem(s, ANY_KEY, changed));
  }
  await Promise.all([patrons.flush(), items.flush()]);
  if (read.patrons !== valid.counts.patrons || read.items !== valid.counts.items) {
    changed.push(`${read.patrons} patrons and ${read.items} items now, ${valid.counts.patrons} and ${valid.counts.items} when validated`);
  }
}


