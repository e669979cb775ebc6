import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DocumentEntry, documentEntries } from "../src/json-stream.js";
import { InvalidImportError } from "../src/problems.js";
import { runImport } from "../src/run.js";
import { fileSource, InputFileError } from "../src/source.js";

const LARGE = new Set(["patrons", "items"]);

async function entries(chunks: readonly string[], assemble: ReadonlySet<string> = LARGE): Promise<DocumentEntry[]> {
  const out: DocumentEntry[] = [];
  for await (const e of documentEntries(chunks, { large: LARGE, assemble })) out.push(e);
  return out;
}

const DOC = JSON.stringify({
  description: "é — a \"quoted\" \\ text",
  institutions: [{ id: "MAIN", timeZone: "America/New_York", currency: "USD" }],
  items: [{ institution: "MAIN", barcode: "I1", title: "Ünïcode ✓", itemType: "book", circulating: false }, { institution: "MAIN", barcode: "I2", title: "x", itemType: "book", price: 12.5 }],
  loans: [{ item: "I1", patron: "P1" }],
  patrons: [],
});

const nowhere = { patron: "127.0.0.1:1", item: "127.0.0.1:1", loan: "127.0.0.1:1", fee: "127.0.0.1:1", hold: "127.0.0.1:1" };

describe("a JSON document read in chunks", () => {
  it("gives the small sections whole and the large sections' records one by one, in document order", async () => {
    const parsed = JSON.parse(DOC) as Record<string, unknown[]>;
    expect(await entries([DOC])).toEqual([
      { kind: "section", key: "description", value: parsed.description },
      { kind: "section", key: "institutions", value: parsed.institutions },
      { kind: "record", section: "items", index: 0, value: parsed.items![0] },
      { kind: "record", section: "items", index: 1, value: parsed.items![1] },
      { kind: "section", key: "loans", value: parsed.loans },
    ]);
  });

  it("gives the same entries wherever the chunks are cut, inside strings, numbers, keys and escapes", async () => {
    const whole = await entries([DOC]);
    for (let cut = 0; cut <= DOC.length; cut++) expect(await entries([DOC.slice(0, cut), DOC.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    expect(await entries([...DOC])).toEqual(whole);
  });

  it("only counts the records of a large section it is not asked to assemble", async () => {
    const counted = (await entries([DOC], new Set())).filter((e) => e.kind === "record");
    expect(counted).toEqual([
      { kind: "record", section: "items", index: 0, value: undefined },
      { kind: "record", section: "items", index: 1, value: undefined },
    ]);
  });

  it("refuses a document that is not one object, or that is cut short", async () => {
    await expect(entries(["[1, 2]"])).rejects.toThrow(/must be a JSON object/);
    await expect(entries(['{"items": [{"barcode": "I1"}'])).rejects.toThrow();
    await expect(entries(['{"a": 1} {"b": 2}'])).rejects.toThrow();
  });
});

describe("a JSON file streamed into an import", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "import-json-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("names the index and key of an invalid record in the middle of a large items array, and sends nothing", async () => {
    // Past the 64 KiB chunks the file is read in, so records straddle chunk boundaries.
    const items: Record<string, unknown>[] = Array.from({ length: 20_000 }, (_, i) => ({ institution: "MAIN", barcode: `B${String(i + 1).padStart(6, "0")}`, title: `A rather long title, number ${i + 1}`, itemType: "book" }));
    items[12] = { ...items[12]!, state: "gone" };
    items[15_000] = { ...items[15_000]!, barcode: "B000013" };
    const path = join(dir, "library.json");
    await writeFile(path, JSON.stringify({ items, institutions: [{ id: "MAIN", timeZone: "Europe/Oslo", currency: "NOK" }] }));
    const progress: number[] = [];
    const error = await runImport(await fileSource({ document: path }), { addresses: nowhere, progressIntervalMs: 0, onProgress: (p) => progress.push(p.done) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidImportError);
    expect((error as InvalidImportError).problems).toEqual([
      expect.stringMatching(/^items\[12\] \(MAIN\/B000013\): state: "gone" is not one of available/),
      "items[15000] (MAIN/B000013): item MAIN/B000013 appears twice in the input",
    ]);
    // The validation pass reported as it read; the loading pass never began.
    expect(progress.at(-1)).toBe(20_000);
    expect(progress.length).toBeGreaterThan(2);
  });

  it("says where a file stops being JSON", async () => {
    const path = join(dir, "broken.json");
    await writeFile(path, '{"items": [{"institution": "MAIN",, }]}');
    const error = await runImport(await fileSource({ document: path }), { addresses: nowhere, dryRun: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toMatch(/^.*broken\.json is not JSON \(before byte \d+\): /);
  });
});
