/**
 * CSV for patrons and items (RFC 4180: comma-separated, `"` quotes, `""` for a
 * quote inside quotes, CRLF or LF line ends, a header row). Each row becomes
 * the same object a JSON record would be, so one validator checks both: an
 * empty cell is an absent field, and the columns that are numbers or booleans
 * in JSON are converted here. Pure: text in, records or problems out.
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

/** Rows as arrays of cells; a problem names the line. */
export function parseCsv(text: string): { rows: string[][]; problems: string[] } {
  const rows: string[][] = [];
  const problems: string[] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const endRow = () => {
    row.push(cell);
    // A blank line is no record.
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    cell = "";
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) problems.push(`line ${rowLine}: a quoted cell is not closed`);
  else if (cell !== "" || row.length > 0) endRow();
  return { rows, problems };
}

/**
 * CSV text to JSON-shaped records keyed by the header's column names. Unknown
 * columns, a missing institution or barcode column, rows of the wrong width and
 * bad booleans are problems naming the file and line; nothing is guessed.
 */
export function csvRecords(text: string, columns: readonly string[], file: string): { records: Record<string, unknown>[]; problems: string[] } {
  const { rows, problems: syntax } = parseCsv(text);
  const problems = syntax.map((p) => `${file}: ${p}`);
  const [header, ...data] = rows;
  if (!header) return { records: [], problems: [...problems, `${file}: no header row`] };
  const names = header.map((h) => h.trim());
  const known = new Set(columns);
  for (const n of names) if (!known.has(n)) problems.push(`${file}: unknown column ${JSON.stringify(n)} (columns: ${columns.join(", ")})`);
  for (const n of REQUIRED_COLUMNS) if (!names.includes(n)) problems.push(`${file}: the header has no ${n} column`);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length > 0) problems.push(`${file}: column ${JSON.stringify(dupes[0])} appears twice`);
  if (problems.length > 0) return { records: [], problems };

  const records: Record<string, unknown>[] = [];
  data.forEach((cells, i) => {
    const where = `${file} row ${i + 2}`;
    if (cells.length !== names.length) {
      problems.push(`${where}: ${cells.length} cells, the header has ${names.length}`);
      return;
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, c) => {
      const raw = cells[c]!.trim();
      if (raw === "") return;
      if (BOOLEAN_COLUMNS.has(name)) {
        const b = booleanCell(raw);
        if (b === undefined) problems.push(`${where}: ${name} must be true/false, yes/no, y/n or 1/0, got ${JSON.stringify(raw)}`);
        else record[name] = b;
      } else record[name] = raw;
    });
    records.push(record);
  });
  return { records, problems };
}

function booleanCell(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  if (["true", "yes", "y", "1"].includes(v)) return true;
  if (["false", "no", "n", "0"].includes(v)) return false;
  return undefined;
}
