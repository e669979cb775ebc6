/**
 * Where an import's records come from: a document in memory (tests, a console
 * that built one) or files read as streams. Patrons and items are read one
 * record at a time and may be read more than once (a validation pass, then a
 * loading pass), so a file source reads its files afresh each time.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { CsvRecords, CsvRowReader, ITEM_COLUMNS, PATRON_COLUMNS } from "./csv.js";
import { DocumentShapeError, documentEntries } from "./json-stream.js";
import { InvalidImportError, type ProblemSink } from "./problems.js";
import type { Sourced } from "./records.js";

/** The sections that may be large: read record by record, never whole. */
export const LARGE_SECTIONS = ["patrons", "items"] as const;
export type LargeSection = (typeof LARGE_SECTIONS)[number];
const LARGE = new Set<string>(LARGE_SECTIONS);

/** A record of a large section; `record` is whatever the document holds (the validator checks it is an object). */
export interface SourceRecord extends Omit<Sourced, "record"> {
  readonly section: LargeSection;
  readonly record: unknown;
}

/** A CSV file's text and the name it is reported under. */
export interface CsvInput {
  readonly file: string;
  readonly text: string;
}

/** An import held in memory: the parsed JSON document and CSV texts. */
export interface ImportInput {
  /** The parsed JSON document (an object with any of the sections of docs/import.md). */
  readonly document: unknown;
  readonly patronsCsv?: CsvInput;
  readonly itemsCsv?: CsvInput;
}

export interface ImportSource {
  /**
   * The document's top-level values except the records of patrons and items
   * (those arrays are left out; a large section that is not an array stays, so
   * the validator can say so). Throws {@link InputFileError} when the document
   * cannot be read or is not a JSON object.
   */
  reference(): Promise<Record<string, unknown>>;
  /** The patrons and items: the document's in document order, then the patrons CSV, then the items CSV. CSV syntax problems go to `problems`. */
  records(problems: ProblemSink): AsyncGenerator<SourceRecord>;
  /** How far the current read is, in bytes of input (for an estimate while records are not yet counted). */
  position(): { readonly done: number; readonly total: number };
}

/** The input is unreadable (missing file, not JSON): nothing was sent. */
export class InputFileError extends Error {
  override readonly name = "InputFileError";
}

const isSource = (input: ImportInput | ImportSource): input is ImportSource => typeof (input as ImportSource).records === "function";

/** An input as a source: an {@link ImportSource} as it is, an {@link ImportInput} read from memory. */
export const sourceOf = (input: ImportInput | ImportSource): ImportSource => (isSource(input) ? input : memorySource(input));

/** An import held in memory (its CSV texts are still read row by row, as files are). */
export function memorySource(input: ImportInput): ImportSource {
  const doc = input.document;
  let done = 0;
  const total = (input.patronsCsv?.text.length ?? 0) + (input.itemsCsv?.text.length ?? 0);
  return {
    async reference() {
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InvalidImportError(["the document must be a JSON object"]);
      return Object.fromEntries(Object.entries(doc).filter(([key, value]) => !(LARGE.has(key) && Array.isArray(value))));
    },
    async *records(problems) {
      done = 0;
      const document = doc as Record<string, unknown>;
      for (const section of LARGE_SECTIONS) {
        const records = document[section];
        if (Array.isArray(records)) for (let index = 0; index < records.length; index++) yield { section, index, record: records[index] };
      }
      for (const [section, csv] of [["patrons", input.patronsCsv], ["items", input.itemsCsv]] as const) {
        if (!csv) continue;
        yield* csvSource(section, csv.file, [csv.text], problems);
        done += csv.text.length;
      }
    },
    position: () => ({ done, total }),
  };
}

/** Files: a JSON document and, optionally, patrons and items CSV files. */
export async function fileSource(paths: { readonly document: string; readonly patronsCsv?: string; readonly itemsCsv?: string }): Promise<ImportSource> {
  const files = [paths.document, paths.patronsCsv, paths.itemsCsv].filter((p): p is string => p !== undefined);
  const sizes = await Promise.all(
    files.map((p) =>
      stat(p).then(
        (s) => s.size,
        (err: Error) => {
          throw new InputFileError(`cannot read ${p}: ${err.message}`);
        },
      ),
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  let before = 0;
  let current: { bytesRead: number } | undefined;
  // Node's default chunk: the rows of a chunk are made at once, and with 1 MiB chunks (17,000 rows) they
  // outlived the young generation, so the heap of a million-row validation grew to ~120 MB before a full
  // collection (peak RSS 327 MB, against 206 MB with 64 KiB chunks).
  const chunk = 1 << 16;
  const read = (path: string, stream = createReadStream(path, { encoding: "utf8", highWaterMark: chunk })) => {
    current = stream;
    return (async function* () {
      try {
        for await (const chunk of stream) yield chunk as string;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code) throw new InputFileError(`cannot read ${path}: ${(err as Error).message}`);
        throw err;
      } finally {
        before += stream.bytesRead;
        current = undefined;
      }
    })();
  };
  const entries = async function* (assemble: boolean) {
    const stream = createReadStream(paths.document, { encoding: "utf8", highWaterMark: chunk });
    try {
      yield* documentEntries(read(paths.document, stream), { large: LARGE, assemble: assemble ? LARGE : new Set() });
    } catch (err) {
      if (err instanceof InputFileError) throw err;
      // The tokenizer does not say where it stopped; the chunk it was reading ends here.
      const at = ` (before byte ${stream.bytesRead.toLocaleString("en-US")})`;
      throw new InputFileError(`${paths.document} is not ${err instanceof DocumentShapeError ? "an import document" : "JSON"}${at}: ${(err as Error).message}`);
    }
  };
  return {
    async reference() {
      const document: Record<string, unknown> = {};
      for await (const entry of entries(false)) if (entry.kind === "section") document[entry.key] = entry.value;
      return document;
    },
    async *records(problems) {
      before = 0;
      for await (const entry of entries(true)) if (entry.kind === "record") yield { section: entry.section as LargeSection, index: entry.index, record: entry.value };
      if (paths.patronsCsv) yield* csvSource("patrons", basename(paths.patronsCsv), read(paths.patronsCsv), problems);
      if (paths.itemsCsv) yield* csvSource("items", basename(paths.itemsCsv), read(paths.itemsCsv), problems);
    },
    position: () => ({ done: before + (current?.bytesRead ?? 0), total }),
  };
}

/** The records of a CSV file; a file whose header is wrong or whose quoting is broken yields problems instead. */
async function* csvSource(section: LargeSection, file: string, chunks: AsyncIterable<string> | Iterable<string>, problems: ProblemSink): AsyncGenerator<SourceRecord> {
  const rows = new CsvRowReader();
  const records = new CsvRecords(section === "patrons" ? PATRON_COLUMNS : ITEM_COLUMNS, file, problems);
  let header: boolean | undefined;
  const take = function* (batch: { cells: string[]; line: number }[]): Generator<SourceRecord> {
    for (const row of batch) {
      if (header === undefined) {
        header = records.header(row.cells);
        continue;
      }
      if (!header) return;
      const record = records.record(row.cells, row.line);
      if (record) yield { section, index: records.rows - 1, record, source: file, line: row.line };
    }
  };
  for await (const chunk of chunks) {
    yield* take(rows.push(chunk));
    if (header === false) return;
  }
  yield* take(rows.end());
  for (const p of rows.problems) problems.push(`${file}: ${p}`);
  if (header === undefined) records.header(undefined);
}
