/**
 * Shell history in `~/.sip2_history` (or `SIP2_HISTORY`): one line per entry, oldest first.
 * Lines that carry a password or PIN are kept for the session but never written to disk.
 */
import { readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { maskRawSecrets } from "../client/render.js";

/** Entries kept in the file. */
export const HISTORY_SIZE = 1000;

/** Where the history lives. */
export function historyPath(env: Record<string, string | undefined>): string {
  return env.SIP2_HISTORY || join(env.HOME || homedir(), ".sip2_history");
}

const SECRET_OPTION = /(^|\s)--(pin|password|terminal-password)(\s|=|$)/;

/** Whether a line may be written to the history file (no PIN or password in it). */
export function mayRemember(line: string): boolean {
  if (SECRET_OPTION.test(line)) return false;
  return maskRawSecrets(line) === line;
}

/** Reads the history file, oldest first; a missing file is an empty history. */
export async function loadHistory(path: string): Promise<string[]> {
  try {
    return (await readFile(path, "utf8")).split("\n").filter((l) => l.trim() !== "");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** Appends `added` to the stored history (secrets left out), keeping the last {@link HISTORY_SIZE}. */
export async function saveHistory(path: string, previous: string[], added: string[]): Promise<void> {
  const lines = [...previous, ...added.filter(mayRemember)].slice(-HISTORY_SIZE);
  await writeFile(path, lines.length > 0 ? `${lines.join("\n")}\n` : "", { mode: 0o600 });
}
