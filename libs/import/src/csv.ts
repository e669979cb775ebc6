/**
 * CSV for patrons and items (RFC 4180: comma-separated, `"` quotes, `""` for a
 * quote inside quotes, CRLF or LF line ends, a header row). Each row becomes
 * the same object a JSON record would be, so one validator checks both: an
 * empty cell is an absent field, and the columns that are numbers or booleans
 * in JSON are converted here. Pure: text (whole, or in chunks cut anywhere) in,
 * records or problems out.
 */

/** The columns of patrons CSV files, as documented in docs/import.md. */
export const PATRON_COLUMNS = [
  "institution",
  "barcode",
  "name",
  "patronType",
  "homeInstitution",
  "email",
  "phone",
  "address",
  "language",
  "expires",
  "birthDate",
  "pin",
  "blockReason",
  "cardLost",
] as const;

/** The columns of items CSV files, as documented in docs/import.md. */
export const ITEM_COLUMNS = [
  "institution",
  "barcode",
  "title",
  "titleId",
  "itemType",
  "mediaType",
  "magneticMedia",
  "securityMarker",
  "location",
  "callNumber",
  "collection",
  "owner",
  "state",
  "circulating",
  "currentLocation",
  "currentInstitution",
  "inTransitTo",
  "inTransitToInstitution",
] as const;

const BOOLEAN_COLUMNS = new Set(["cardLost", "magneticMedia", "circulating"]);
const REQUIRED_COLUMNS = ["institution", "barcode"];

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** One row's cells and the line it starts on (a quoted cell may span lines). */
export interface CsvRow {
  readonly cells: string[];
  readonly line: number;
}

/**
 * Splits CSV text into rows as it arrives. A chunk may end anywhere: inside a
 * quoted cell, between the two quotes of `""`, or between CR and LF; the state
 * carries over to the next chunk.
 */
export class CsvRowReader {
  #row: string[] = [];
  #cell = "";
  #quoted = false;
  /** The chunk ended on a quote inside a quoted cell: `""` or the closing quote, the next chunk says. */
  #quoteAtEnd = false;
  /** The chunk ended on CR: an LF starting the next one belongs to it. */
  #crAtEnd = false;
  #started = false;
  #line = 1;
  #rowLine = 1;
  readonly problems: string[] = [];

  /** The rows completed by `chunk`. */
  push(chunk: string): CsvRow[] {
    const rows: CsvRow[] = [];
    let i = 0;
    if (!this.#started) {
      this.#started = chunk.length > 0;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.#crAtEnd && chunk.charCodeAt(i) === LF) i++;
    this.#crAtEnd = false;
    if (this.#quoteAtEnd && i < chunk.length) {
      this.#quoteAtEnd = false;
      if (chunk.charCodeAt(i) === QUOTE) {
        this.#cell += '"';
        i++;
      } else this.#quoted = false;
    }
    let start = i;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.#quoted) {
        if (c === QUOTE) {
          this.#cell += chunk.slice(start, i);
          if (i + 1 === chunk.length) {
            this.#quoteAtEnd = true;
            start = i + 1;
          } else if (chunk.charCodeAt(i + 1) === QUOTE) {
            this.#cell += '"';
            i++;
            start = i + 1;
          } else {
            this.#quoted = false;
            start = i + 1;
          }
        } else if (c === LF) this.#line++;
        continue;
      }
      if (c === QUOTE && start === i && this.#cell === "") {
        this.#quoted = true;
        start = i + 1;
      } else if (c === COMMA) {
        this.#row.push(this.#cell + chunk.slice(start, i));
        this.#cell = "";
        start = i + 1;
      } else if (c === LF || c === CR) {
        this.#cell += chunk.slice(start, i);
        if (c === CR) {
          if (i + 1 === chunk.length) this.#crAtEnd = true;
          else if (chunk.charCodeAt(i + 1) === LF) i++;
        }
        this.#endRow(rows);
        this.#line++;
        this.#rowLine = this.#line;
        start = i + 1;
      }
    }
    if (start < chunk.length) this.#cell += chunk.slice(start);
    return rows;
  }

  /** The last row, if the text does not end with a line break. */
  end(): CsvRow[] {
    const rows: CsvRow[] = [];
    if (this.#quoteAtEnd) this.#quoted = false;
    if (this.#quoted) this.problems.push(`line ${this.#rowLine}: a quoted cell is not closed`);
    else if (this.#cell !== "" || this.#row.length > 0) this.#endRow(rows);
    return rows;
  }

  #endRow(rows: CsvRow[]): void {
    this.#row.push(this.#cell);
    // A blank line is no record.
    if (!(this.#row.length === 1 && this.#row[0] === "")) rows.push({ cells: this.#row, line: this.#rowLine });
    this.#row = [];
    this.#cell = "";
  }
}

/** Rows as arrays of cells; a problem names the line. */
export function parseCsv(text: string): { rows: string[][]; problems: string[] } {
  const reader = new CsvRowReader();
  const rows = [...reader.push(text), ...reader.end()].map((r) => r.cells);
  return { rows, problems: reader.problems };
}

/**
 * Turns rows into JSON-shaped records keyed by the header's column names.
 * Unknown columns, a missing institution or barcode column, rows of the wrong
 * width and bad booleans are problems naming the file and row; nothing is guessed.
 */
export class CsvRecords {
  #names: string[] | undefined;
  /** Data rows seen so far (the header is row 1, the first record row 2). */
  rows = 0;

  constructor(
    private readonly columns: readonly string[],
    readonly file: string,
    private readonly problems: { push(p: string): unknown },
  ) {}

  /** Reads the header; false (with problems) when the file cannot be read as records at all. */
  header(cells: readonly string[] | undefined): boolean {
    if (!cells) {
      this.problems.push(`${this.file}: no header row`);
      return false;
    }
    const names = cells.map((h) => h.trim());
    const known = new Set(this.columns);
    let ok = true;
    const problem = (text: string) => {
      this.problems.push(`${this.file}: ${text}`);
      ok = false;
    };
    for (const n of names) if (!known.has(n)) problem(`unknown column ${JSON.stringify(n)} (columns: ${this.columns.join(", ")})`);
    for (const n of REQUIRED_COLUMNS) if (!names.includes(n)) problem(`the header has no ${n} column`);
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    if (dupes.length > 0) problem(`column ${JSON.stringify(dupes[0])} appears twice`);
    if (ok) this.#names = names;
    return ok;
  }

  /** One data row as a record; undefined (with a problem) when its width is wrong. Bad booleans are problems and left out. */
  record(cells: readonly string[], line?: number): Record<string, unknown> | undefined {
    const names = this.#names;
    if (!names) throw new Error("CsvRecords.record before a valid header");
    this.rows++;
    const row = this.rows + 1;
    const where = `${this.file} row ${row}${line !== undefined && line !== row ? ` (line ${line})` : ""}`;
    if (cells.length !== names.length) {
      this.problems.push(`${where}: ${cells.length} cells, the header has ${names.length}`);
      return undefined;
    }
    const record: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[c]!;
      const raw = cells[c]!.trim();
      if (raw === "") continue;
      if (BOOLEAN_COLUMNS.has(name)) {
        const b = booleanCell(raw);
        if (b === undefined) this.problems.push(`${where}: ${name} must be true/false, yes/no, y/n or 1/0, got ${JSON.stringify(raw)}`);
        else record[name] = b;
      } else record[name] = raw;
    }
    return record;
  }
}

/** Whole CSV text to records (see {@link CsvRecords}). */
export function csvRecords(text: string, columns: readonly string[], file: string): { records: Record<string, unknown>[]; problems: string[] } {
  const { rows, problems: syntax } = parseCsv(text);
  const problems = syntax.map((p) => `${file}: ${p}`);
  if (problems.length > 0) return { records: [], problems };
  const reader = new CsvRecords(columns, file, problems);
  if (!reader.header(rows[0])) return { records: [], problems };
  const records: Record<string, unknown>[] = [];
  for (const cells of rows.slice(1)) {
    const record = reader.record(cells);
    if (record) records.push(record);
  }
  return { records, problems };
}

function booleanCell(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  if (v === "true" || v === "yes" || v === "y" || v === "1") return true;
  if (v === "false" || v === "no" || v === "n" || v === "0") return false;
  return undefined;
}
