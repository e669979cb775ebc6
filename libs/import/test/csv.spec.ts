import { describe, expect, it } from "vitest";
import { csvRecords, ITEM_COLUMNS, PATRON_COLUMNS, parseCsv } from "../src/csv.js";

describe("CSV", () => {
  it("reads quoted cells with commas, doubled quotes and line breaks, CRLF or LF", () => {
    const { rows, problems } = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["two\nlines", "z"],
    ]);
  });

  it("turns rows into records keyed by the header; empty cells are absent fields", () => {
    const text = "institution,barcode,name,patronType,pin,cardLost\nMAIN,P0001,Ada Lovelace,adult,1234,no\nMAIN,P0002,Charles Babbage,adult,,\n";
    const { records, problems } = csvRecords(text, PATRON_COLUMNS, "patrons.csv");
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { institution: "MAIN", barcode: "P0001", name: "Ada Lovelace", patronType: "adult", pin: "1234", cardLost: false },
      { institution: "MAIN", barcode: "P0002", name: "Charles Babbage", patronType: "adult" },
    ]);
  });

  it("keeps leading zeros of PINs and barcodes (cells are text)", () => {
    const { records } = csvRecords("institution,barcode,pin\nMAIN,0042,0007\n", PATRON_COLUMNS, "p.csv");
    expect(records[0]).toEqual({ institution: "MAIN", barcode: "0042", pin: "0007" });
  });

  it("names the file and row of every problem: unknown column, wrong width, bad boolean", () => {
    const unknown = csvRecords("institution,barcode,colour\n", ITEM_COLUMNS, "items.csv");
    expect(unknown.problems).toEqual([expect.stringMatching(/^items\.csv: unknown column "colour"/)]);
    const rows = csvRecords("institution,barcode,circulating\nMAIN,I1\nMAIN,I2,maybe\n", ITEM_COLUMNS, "items.csv");
    expect(rows.problems).toEqual(["items.csv row 2: 2 cells, the header has 3", expect.stringMatching(/^items\.csv row 3: circulating must be/)]);
  });

  it("requires the institution and barcode columns", () => {
    expect(csvRecords("barcode,title\nI1,x\n", ITEM_COLUMNS, "items.csv").problems).toEqual(["items.csv: the header has no institution column"]);
  });
});
