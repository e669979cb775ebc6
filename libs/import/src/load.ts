import { stat } from "node:fs/promises";
import { join } from "node:path";
import { fileSource, type ImportSource, InputFileError } from "./source.js";

export { InputFileError } from "./source.js";

/** File names read from a directory given as the input: the document and, when present, the CSV files. */
export const DIRECTORY_FILES = { document: "library.json", patrons: "patrons.csv", items: "items.csv" } as const;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * An import on disk, read as streams when it runs (nothing is read here but
 * the files' sizes). `path` is a JSON document, or a directory holding
 * `library.json` and optionally `patrons.csv` and `items.csv`; explicit CSV
 * paths take precedence over the directory's.
 */
export async function loadImportInput(path: string, options: { patronsCsv?: string; itemsCsv?: string } = {}): Promise<ImportSource> {
  let document = path;
  let patronsCsv = options.patronsCsv;
  let itemsCsv = options.itemsCsv;
  const info = await stat(path).catch(() => null);
  if (info === null) throw new InputFileError(`${path}: no such file or directory`);
  if (info.isDirectory()) {
    document = join(path, DIRECTORY_FILES.document);
    if (patronsCsv === undefined && (await exists(join(path, DIRECTORY_FILES.patrons)))) patronsCsv = join(path, DIRECTORY_FILES.patrons);
    if (itemsCsv === undefined && (await exists(join(path, DIRECTORY_FILES.items)))) itemsCsv = join(path, DIRECTORY_FILES.items);
  }
  return fileSource({ document, ...(patronsCsv ? { patronsCsv } : {}), ...(itemsCsv ? { itemsCsv } : {}) });
}
