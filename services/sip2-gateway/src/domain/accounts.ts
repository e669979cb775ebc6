import { type Charset, isValidTimeZone, normalizeCharset } from "@circulate/sip2";
import { NetworkError, NetworkSet } from "./networks.js";
import { type ProfileEntry, type ResponseProfile, resolveProfiles, withPrivacy } from "./profiles.js";
import type { ReplyTerminator } from "./reply-terminator.js";
import { type AcsStatusOverrides, type CheckinNotOnLoan, type DueDateFormat, PERMISSIONS, type PatronPrivacy, type Permission, type Resolution, type TerminalAccount, type TerminalPassword } from "./terminal.js";

/** One account as written in the accounts file (after schema validation). */
export interface AccountEntry {
  login?: string;
  passwordHash?: string;
  terminalPassword?: TerminalPassword;
  institutionId?: string;
  libraryName?: string;
  location?: string;
  allowedNetworks?: string[];
  bindAddresses?: string[];
  permissions?: string[];
  renewalPolicy?: boolean;
  charset?: string;
  replyTerminator?: ReplyTerminator;
  timeZone?: string;
  timeoutMs?: number;
  retryBudgetMs?: number;
  requireErrorDetection?: boolean;
  resolution?: Resolution;
  scStatusBeforeLogin?: boolean;
  checkinNotOnLoan?: CheckinNotOnLoan;
  patronPrivacy?: PatronPrivacy;
  patronPinRequired?: boolean;
  active?: boolean;
  dueDateFormat?: DueDateFormat;
  acsStatus?: AcsStatusOverrides;
  responseProfile?: string;
}

/** The accounts file: the library's own response profiles, shared defaults and the accounts. */
export interface AccountsDocument {
  profiles?: Record<string, ProfileEntry>;
  defaults?: AccountEntry;
  accounts: AccountEntry[];
}

/** A loaded account with its networks parsed once, for matching on every connection. */
export interface LoadedAccount {
  readonly account: TerminalAccount;
  readonly allowed: NetworkSet;
  readonly bind: NetworkSet;
}

export class AccountsError extends Error {
  override name = "AccountsError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid accounts file:\n  ${problems.join("\n  ")}`);
  }
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_RETRY_BUDGET_MS = 60_000;
const HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

/**
 * Turns a schema-valid document into accounts, checking what a schema cannot:
 * time zones, charsets, networks, duplicate logins, and source addresses bound
 * to two accounts. Throws AccountsError listing every problem.
 */
export function buildAccounts(doc: AccountsDocument): LoadedAccount[] {
  const problems: string[] = [];
  const logins = new Set<string>();
  const loaded: LoadedAccount[] = [];
  const profiles = resolveProfiles(doc.profiles ?? {}, problems);
  doc.accounts.forEach((entry, i) => {
    const e = { ...doc.defaults, ...entry };
    const where = `accounts[${i}]${e.login ? ` (${e.login})` : ""}`;
    const problem = (msg: string) => problems.push(`${where}: ${msg}`);
    if (!e.login) {
      problem("login is required");
      return;
    }
    if (logins.has(e.login)) problem("login is used by an earlier account");
    logins.add(e.login);
    const terminalPassword = e.terminalPassword ?? "required";
    if (terminalPassword === "required") {
      if (!e.passwordHash || !HASH.test(e.passwordHash)) problem("passwordHash must be an scrypt hash (see hash-password)");
    } else {
      // A hash here would read as protection the account does not have.
      if (e.passwordHash !== undefined) problem(`passwordHash is not used when terminalPassword is ${terminalPassword}; remove it`);
      // Without a password the network is the only guard: "anywhere" must be said, not implied.
      if ((e.allowedNetworks ?? []).length === 0) problem(`terminalPassword ${terminalPassword} needs allowedNetworks`);
    }
    if (!e.institutionId) problem("institutionId is required");
    const timeZone = e.timeZone ?? "UTC";
    if (!isValidTimeZone(timeZone)) problem(`timeZone "${timeZone}" is not an IANA time zone`);
    const charset: Charset | undefined = normalizeCharset(e.charset ?? "ibm850");
    if (!charset) problem(`charset "${e.charset}" is not ibm850, utf8 or latin1`);
    const permissions = new Set<Permission>();
    for (const p of e.permissions ?? []) {
      if ((PERMISSIONS as readonly string[]).includes(p)) permissions.add(p as Permission);
      else problem(`unknown permission "${p}"`);
    }
    const networks = (list: string[] | undefined, name: string): NetworkSet => {
      try {
        return NetworkSet.parse(list ?? []);
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        problem(`${name}: ${err.message}`);
        return NetworkSet.parse([]);
      }
    };
    const profile = profiles.get(e.responseProfile ?? "default");
    if (profile === undefined) problem(`responseProfile "${e.responseProfile}" is not a built-in profile or one under profiles`);
    const allowed = networks(e.allowedNetworks, "allowedNetworks");
    const bind = networks(e.bindAddresses, "bindAddresses");
    const institutionId = e.institutionId ?? "";
    loaded.push({
      allowed,
      bind,
      account: {
        login: e.login,
        passwordHash: terminalPassword === "required" ? (e.passwordHash ?? "") : "",
        terminalPassword,
        institutionId,
        libraryName: e.libraryName ?? institutionId,
        location: e.location ?? institutionId,
        allowedNetworks: e.allowedNetworks ?? [],
        bindAddresses: e.bindAddresses ?? [],
        permissions,
        renewalPolicy: e.renewalPolicy ?? false,
        charset: charset ?? "ibm850",
        replyTerminator: e.replyTerminator ?? "cr",
        timeZone,
        timeoutMs: e.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        retryBudgetMs: e.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
        requireErrorDetection: e.requireErrorDetection ?? false,
        resolution: e.resolution ?? "institution",
        scStatusBeforeLogin: e.scStatusBeforeLogin ?? false,
        checkinNotOnLoan: e.checkinNotOnLoan ?? "alert",
        responseProfile: withPrivacy(profile ?? (profiles.get("default") as ResponseProfile), e.patronPrivacy === "noContact"),
        patronPinRequired: e.patronPinRequired ?? false,
        active: e.active ?? true,
        dueDateFormat: e.dueDateFormat ?? "sip2",
        acsStatus: e.acsStatus ?? {},
      },
    });
  });
  // A bound connection must have exactly one account: the same bind entry twice is ambiguous.
  const bound = new Map<string, string>();
  for (const { account } of loaded) {
    for (const b of account.bindAddresses) {
      const other = bound.get(b.trim());
      if (other) problems.push(`${account.login}: bind address ${b} is also bound to ${other}`);
      bound.set(b.trim(), account.login);
    }
  }
  if (problems.length > 0) throw new AccountsError(problems);
  return loaded;
}

/** True when a connection from `address` may use the account (empty allow-list = anywhere). */
export function mayConnectFrom(loaded: LoadedAccount, address: string | undefined): boolean {
  return loaded.allowed.size === 0 || loaded.allowed.contains(address);
}
