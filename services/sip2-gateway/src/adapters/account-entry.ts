import { AccountsError, type LoadedAccount } from "../domain/accounts.js";
import { accountsFromDocument } from "./accounts-file.js";

/** What a NATS KV key may hold (and so what a login managed at run time may be). */
const KV_KEY = /^[-_=A-Za-z0-9]+(\.[-_=A-Za-z0-9]+)*$/;

export type EntryCheck = { ok: true; loaded: LoadedAccount } | { ok: false; problems: string[] };

/**
 * One terminal account managed at run time (a `<STREAM_PREFIX>_TERMINAL_ACCOUNTS` entry):
 * the accounts file's schema and `buildAccounts` rules, applied to this entry alone. It
 * inherits nothing from the file (`defaults`, `profiles`), so what is checked here is exactly
 * what every gateway runs. Problems are worded as for the file, relative to the entry.
 */
export function checkAccountEntry(login: string, entry: unknown): EntryCheck {
  const problems: string[] = [];
  if (!KV_KEY.test(login)) problems.push(`login "${login}" cannot be a KV key: use letters, digits, - _ = and single dots`);
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return { ok: false, problems: [...problems, "/ must be object"] };
  const named = (entry as { login?: unknown }).login;
  if (named !== login) problems.push(`/login must be "${login}", the key the entry is stored under`);
  try {
    const [loaded] = accountsFromDocument({ accounts: [entry] });
    if (problems.length === 0 && loaded) return { ok: true, loaded };
  } catch (err) {
    if (!(err instanceof AccountsError)) throw err;
    problems.push(...err.problems.map(relative));
  }
  return { ok: false, problems };
}

/** Reads a KV value (JSON text) and checks it. */
export function checkAccountEntryText(login: string, text: string): EntryCheck {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${(err as Error).message}`] };
  }
  return checkAccountEntry(login, entry);
}

/**
 * What a staff console calls before writing an entry to `<STREAM_PREFIX>_TERMINAL_ACCOUNTS`
 * under the key `login`: every problem the gateways would log when ignoring it; empty when
 * they will apply it.
 */
export function validateTerminalAccountEntry(login: string, entry: unknown): string[] {
  const checked = checkAccountEntry(login, entry);
  return checked.ok ? [] : checked.problems;
}

/** "/accounts/0/charset ..." → "/charset ..."; "accounts[0] (k): ..." → "...". */
function relative(problem: string): string {
  return problem.replace(/^\/accounts\/0(?=\/|\s)/, "").replace(/^ /, "/ ").replace(/^accounts\[0\](?: \([^)]*\))?: /, "");
}
