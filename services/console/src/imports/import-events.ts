import type { Event } from "@circulate/eventstore";
import type { ImportSummary } from "@circulate/import";
import type { Role } from "../db.js";

/** What an upload holds: a library document (JSON), or a CSV file of patrons or of items. */
export const IMPORT_KINDS = ["json", "patrons-csv", "items-csv"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** How an import ended: loaded (or, for a check only, valid), invalid (nothing sent), or failed part-way (a service call). */
export type ImportOutcome = "done" | "invalid" | "failed";

/** One line of an import's summary, as the services counted it. */
export interface SectionCounts {
  section: string;
  created: number;
  updated: number;
  unchanged: number;
  /** Loans the loan service skipped (with its reasons), charges imported before. */
  skipped: number;
}

/** Who started which import of what; recorded when the upload is received, before anything is read. */
export type ImportStarted = Event<
  "ImportStarted",
  { importId: string; staff: string; role: Role; fileName: string; kind: ImportKind; dryRun: boolean; size: number }
>;

/** How it ended, with the services' counts per section and the number of problems found in the input. */
export type ImportFinished = Event<
  "ImportFinished",
  {
    importId: string;
    staff: string;
    role: Role;
    fileName: string;
    kind: ImportKind;
    dryRun: boolean;
    outcome: ImportOutcome;
    records: number;
    sections: SectionCounts[];
    problems: number;
    detail?: string;
  }
>;

export type ImportEvent = ImportStarted | ImportFinished;

const row = (section: string, c: { created?: number; updated?: number; unchanged?: number; skipped?: number }): SectionCounts => ({
  section,
  created: c.created ?? 0,
  updated: c.updated ?? 0,
  unchanged: c.unchanged ?? 0,
  skipped: c.skipped ?? 0,
});

/**
 * The summary as rows. Institutions are counted by the patron service (the
 * loan and fee services hold the same ones); loans and charges the services
 * count as imported go under `created`.
 */
export function summaryRows(s: ImportSummary): SectionCounts[] {
  return [
    row("institutions", s.institutions.patron),
    row("patronTypes", s.patronTypes),
    row("loanRules", s.loanRules),
    row("calendars", s.calendars),
    row("patrons", s.patrons),
    row("cardLost", s.cardLost),
    row("items", s.items),
    row("loans", { created: s.loans.imported, unchanged: s.loans.unchanged, skipped: s.loans.skipped }),
    row("holds", s.holds),
    row("charges", { created: s.charges.imported, skipped: s.charges.skipped }),
  ];
}
