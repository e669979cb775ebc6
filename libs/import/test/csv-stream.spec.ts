import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvRowReader, parseCsv } from "../src/csv.js";
import { InvalidImportError } from "../src/problems.js";
import { runImport } from "../src/run.js";
import { fileSource, memorySource } from "../src/source.js";

/** The rows of `text` read in the given chunks. */
function rowsIn(chunks: readonly string[]) {
  const reader = new CsvRowReader();
  const rows = [...chunks.flatMap((c) => reader.push(c)), ...reader.end()];
  return { rows, problems: reader.problems };
}

const TRICKY = '\uFEFFinstitution,barcode,title\r\nMAIN,"I,1","say ""hi"""\r\nMAIN,I2,"two\nlines"\nMAIN,I3,""\r\n\r\nMAIN,I4,"end"';
const nowhere = { patron: "127.0.0.1:1", item: "127.0.0.1:1", loan: "127.0.0.1:1", fee: "127.0.0.1:1", hold: "127.0.0.1:1" };
const document = { institutions: [{ id: "MAIN", timeZone: "America/New_York", currency: "USD" }] };

describe("CSV read in chunks", () => {
  const whole = rowsIn([TRICKY]);

  it("reads quotes, doubled quotes, quoted line breaks, CRLF and a byte-order mark", () => {
    expect(whole.problems).toEqual([]);
    expect(whole.rows).toEqual([
      { cells: ["institution", "barcode", "title"], line: 1 },
      { cells: ["MAIN", "I,1", 'say "hi"'], line: 2 },
      { cells: ["MAIN", "I2", "two\nlines"], line: 3 },
      { cells: ["MAIN", "I3", ""], line: 5 },
      { cells: ["MAIN", "I4", "end"], line: 7 },
    ]);
  });

  it("gives the same rows wherever the chunks are cut: inside quotes, between the two quotes of \"\", between CR and LF", () => {
    for (let cut = 0; cut <= TRICKY.length; cut++) {
      expect(rowsIn([TRICKY.slice(0, cut), TRICKY.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(rowsIn([...TRICKY])).toEqual(whole);
  });

  it("reports a quoted cell that is never closed, with the line it starts on", () => {
    expect(parseCsv('a,b\nx,"open\n\n').problems).toEqual(["line 2: a quoted cell is not closed"]);
  });
});

describe("CSV files streamed into an import", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "import-csv-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("names the row (and line, after a quoted line break) of an invalid record in the middle of a file, and sends nothing", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `MAIN,B${i + 1},Title ${i + 1},book`);
    rows[10] = 'MAIN,B11,"A title over\ntwo lines",book';
    rows[1499] = "MAIN,B1500,Title 1500,book,extra";
    rows[2000] = "MAIN,B2001,,book";
    const path = join(dir, "items.csv");
    await writeFile(path, `institution,barcode,title,itemType\n${rows.join("\n")}\n`);
    await writeFile(join(dir, "library.json"), JSON.stringify(document));
    const seen: string[] = [];
    const error = await runImport(await fileSource({ document: join(dir, "library.json"), itemsCsv: path }), { addresses: nowhere, onProblem: (p) => seen.push(p) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidImportError);
    expect((error as InvalidImportError).problems).toEqual([
      "items.csv row 1501 (line 1502): 5 cells, the header has 4",
      "items.csv row 2002 (line 2003) (MAIN/B2001): title is required",
    ]);
    expect(seen).toEqual((error as InvalidImportError).problems);
  });

  it("counts the records of a valid file in the validation pass, reading it in chunks", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `MAIN,B${i + 1},"Title, ${i + 1}",book`);
    const text = `institution,barcode,title,itemType\n${rows.join("\n")}\n`;
    const result = await runImport(memorySource({ document, itemsCsv: { file: "items.csv", text } }), { addresses: nowhere, dryRun: true });
    expect(result).toEqual({ summary: null, records: 1 + 5000 });
  });
});
