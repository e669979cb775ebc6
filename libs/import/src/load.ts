import { readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { CsvInput, ImportInput } from "./plan.js";

/** File names read from a directory given as the input: the document and, when present, the CSV files. */
export const DIRECTORY_FILES = { document: "library.json", patrons: "patrons.csv", items: "items.csv" } as const;

/** The input is unreadable (missing file, bad JSON): nothing was sent. */
export class InputFileError extends Error {
  override readonly name = "InputFileError";
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function text(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new InputFileError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

async function csv(path: string | undefined): Promise<CsvInput | undefined> {
  return path === undefined ? undefined : { file: basename(path), text: await text(path) };
}

/**
 * Reads an import from disk. `path` is a JSON document, or a directory holding
 * `library.json` and optionally `patrons.csv` and `items.csv`; explicit CSV
 * paths take precedence over the directory's.
 */
export async function loadImportInput(path: string, options: { patronsCsv?: string; itemsCsv?: string } = {}): Promise<ImportInput> {
  let documentPath = path;
  let patronsCsv = options.patronsCsv;
  let itemsCsv = options.itemsCsv;
  const info = await stat(path).catch(() => null);
  if (info === null) throw new InputFileError(`${path}: no such file or directory`);
  if (info.isDirectory()) {
    documentPath = join(path, DIRECTORY_FILES.document);
    if (patronsCsv === undefined && (await exists(join(path, DIRECTORY_FILES.patrons)))) patronsCsv = join(path, DIRECTORY_FILES.patrons);
    if (itemsCsv === undefined && (await exists(join(path, DIRECTORY_FILES.items)))) itemsCsv = join(path, DIRECTORY_FILES.items);
  }
  const raw = await text(documentPath);
  let document: unknown;
  try {
    document = JSON.parse(raw);
  } catch (err) {
    throw new InputFileError(`${documentPath} is not JSON: ${(err as Error).message}`);
  }
  const [patrons, items] = await Promise.all([csv(patronsCsv), csv(itemsCsv)]);
  return { document, ...(patrons ? { patronsCsv: patrons } : {}), ...(items ? { itemsCsv: items } : {}) };
}
