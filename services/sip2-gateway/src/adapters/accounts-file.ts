import { readFileSync, watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import type { Logger } from "pino";
import { parse as parseYaml } from "yaml";
import { AccountsError, type AccountsDocument, buildAccounts, type LoadedAccount } from "../domain/accounts.js";

const schema = JSON.parse(readFileSync(new URL("../../accounts.schema.json", import.meta.url), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile<AccountsDocument>(schema);

/** Parses and validates accounts file content (YAML, which includes JSON). Throws AccountsError. */
export function parseAccounts(text: string): LoadedAccount[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new AccountsError([`not YAML or JSON: ${(err as Error).message}`]);
  }
  return accountsFromDocument(doc);
}

/** A parsed document through the schema, then `buildAccounts`. Throws AccountsError. */
export function accountsFromDocument(doc: unknown): LoadedAccount[] {
  if (!validate(doc)) {
    throw new AccountsError((validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`));
  }
  return buildAccounts(doc);
}

export async function loadAccountsFile(file: string): Promise<LoadedAccount[]> {
  return parseAccounts(await readFile(file, "utf8"));
}

/**
 * Reloads the accounts file on SIGHUP and when it changes on disk. A file that
 * does not load is reported and the accounts in force stay as they are.
 * Watches the directory, not the file: editors and Kubernetes ConfigMaps
 * replace the file by renaming, which ends a watch on the old inode.
 */
export function watchAccountsFile(
  file: string,
  logger: Logger,
  apply: (accounts: LoadedAccount[]) => void,
  debounceMs = 100,
): { reload: () => Promise<boolean>; close: () => void } {
  const reload = async (): Promise<boolean> => {
    try {
      const accounts = await loadAccountsFile(file);
      apply(accounts);
      logger.info({ file, accounts: accounts.length }, "accounts reloaded");
      return true;
    } catch (err) {
      logger.error({ file, problems: err instanceof AccountsError ? err.problems : [(err as Error).message] }, "accounts file not reloaded");
      return false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  };
  const name = path.basename(file);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path.dirname(path.resolve(file)), (_event, changed) => {
      if (changed === null || changed === name || changed.startsWith("..")) later();
    });
  } catch (err) {
    logger.warn({ err, file }, "accounts file cannot be watched; reload with SIGHUP");
  }
  const onHup = () => void reload();
  process.on("SIGHUP", onHup);
  return {
    reload,
    close: () => {
      clearTimeout(timer);
      watcher?.close();
      process.off("SIGHUP", onHup);
    },
  };
}
