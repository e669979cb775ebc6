/**
 * The terminal fleet as the SIP2 gateways publish it on NATS, for whoever shows it (the staff
 * console): in `<STREAM_PREFIX>_FLEET` one KV entry per live connection and one per gateway
 * replica with the accounts of its accounts file; the terminal accounts managed at run time are
 * in `<STREAM_PREFIX>_TERMINAL_ACCOUNTS`. Pure: names, key formats, the entries' shapes and
 * their parsers; no NATS client here.
 */

/** The version of {@link TerminalState} this module reads and the gateways write. */
export const TERMINAL_STATE_VERSION = 1;

const bucketName = (streamPrefix: string, suffix: string) => `${streamPrefix}_${suffix}`.replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * `<STREAM_PREFIX>_FLEET`: live terminal connections. (`<STREAM_PREFIX>_TERMINALS` is the
 * gateways' retry history, one entry per terminal, kept 30 minutes.)
 */
export function fleetBucketName(streamPrefix: string): string {
  return bucketName(streamPrefix, "FLEET");
}

/** `<STREAM_PREFIX>_TERMINAL_ACCOUNTS`: key = login, value = one account entry (JSON). */
export function terminalAccountsBucketName(streamPrefix: string): string {
  return bucketName(streamPrefix, "TERMINAL_ACCOUNTS");
}

/** A KV key token: what a gateway id or connection id may be made of. */
const TOKEN = /^[A-Za-z0-9_-]+$/;

/** First token of a replica's file-accounts key; never a gateway id, so never a connection's key. */
const FILE_ACCOUNTS_TOKEN = "accounts";

/**
 * `<gatewayId>.<connectionId>`: both are `[A-Za-z0-9_-]+`, so the key splits at its one dot. A
 * gateway id is never `accounts` (that is {@link fileAccountsKey}'s).
 */
export function terminalStateKey(gatewayId: string, connectionId: string): string {
  if (!TOKEN.test(gatewayId) || !TOKEN.test(connectionId) || gatewayId === FILE_ACCOUNTS_TOKEN) {
    throw new RangeError(`gateway and connection ids are [A-Za-z0-9_-]+: ${JSON.stringify(gatewayId)}, ${JSON.stringify(connectionId)}`);
  }
  return `${gatewayId}.${connectionId}`;
}

/** SC status of a 99 (0 OK, 1 printer out of paper, 2 about to shut down). */
export const SC_STATUS = { ok: 0, printerOutOfPaper: 1, shuttingDown: 2 } as const;

/**
 * One connection to one gateway, as last written. Times are Unix milliseconds. Fields may be
 * added within a version; a change that would mislead an older reader bumps `v`.
 */
export interface TerminalState {
  readonly v: typeof TERMINAL_STATE_VERSION;
  readonly gatewayId: string;
  readonly connectionId: string;
  /** "closed": the connection ended (the entry then stays until the bucket's max age removes it). */
  readonly state: "connected" | "closed";
  /** The terminal account in use; null before a 93 (or a binding by source address). */
  readonly login: string | null;
  /** How the account came: a 93, or bound by source address without one. */
  readonly authenticatedBy: "login" | "binding" | null;
  readonly institution: string | null;
  /** The 93's CP, else the account's location. */
  readonly location: string | null;
  readonly clientAddress: string | null;
  readonly listener: "tcp" | "tls";
  /** The TLS protocol negotiated ("TLSv1.3"); null on plain TCP. */
  readonly tls: { readonly protocol: string | null } | null;
  readonly connectedAt: number;
  readonly loggedInAt: number | null;
  /** The last frame answered (any message, 99 included). */
  readonly lastRequestAt: number | null;
  /** The last 99's SC status (see {@link SC_STATUS}) and when it came. */
  readonly scStatus: { readonly code: number; readonly at: number } | null;
  /**
   * The 60 s before `updatedAt`. refusals: answers with ok=0 (a service's or the gateway's
   * refusal, a refused 93). errors: "system unavailable" and timed-out answers, and 96s (bad
   * checksum, unreadable frame). p95Ms: of the requests sent on to a service (not 93/99/97,
   * local refusals or 96s), over at most the latest 128 of them; null when there were none.
   */
  readonly lastMinute: {
    readonly requests: number;
    readonly refusals: number;
    readonly errors: number;
    readonly p95Ms: number | null;
  };
  readonly closedAt: number | null;
  readonly updatedAt: number;
  /**
   * When the bucket drops the entry unless it is written again (updatedAt + the bucket's max
   * age). A live connection is rewritten well before; NATS sends watchers no delete when an
   * entry ages out, so past this instant treat it as gone (its gateway stopped writing).
   */
  readonly expiresAt: number;
}

/** The entry's state unless it has expired by `now`: what a fleet view shows. */
export function isTerminalStateCurrent(state: TerminalState, now: number = Date.now()): boolean {
  return state.expiresAt > now;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const str = (v: unknown) => typeof v === "string";
const strOrNull = (v: unknown) => v === null || typeof v === "string";
const timeOrNull = (v: unknown) => v === null || isTime(v);
const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/**
 * Reads one entry of the fleet bucket (its bytes or text). Undefined for anything that is not a
 * version-1 entry: a reader meets entries of a newer gateway during an upgrade and skips them.
 */
export function parseTerminalState(data: string | Uint8Array): TerminalState | undefined {
  let v: unknown;
  try {
    v = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.v !== TERMINAL_STATE_VERSION) return undefined;
  const m = v.lastMinute;
  const tls = v.tls;
  const sc = v.scStatus;
  const ok =
    str(v.gatewayId) &&
    str(v.connectionId) &&
    (v.state === "connected" || v.state === "closed") &&
    strOrNull(v.login) &&
    (v.authenticatedBy === "login" || v.authenticatedBy === "binding" || v.authenticatedBy === null) &&
    strOrNull(v.institution) &&
    strOrNull(v.location) &&
    strOrNull(v.clientAddress) &&
    (v.listener === "tcp" || v.listener === "tls") &&
    (tls === null || (isObject(tls) && strOrNull(tls.protocol))) &&
    isTime(v.connectedAt) &&
    timeOrNull(v.loggedInAt) &&
    timeOrNull(v.lastRequestAt) &&
    (sc === null || (isObject(sc) && count(sc.code) && isTime(sc.at))) &&
    isObject(m) &&
    count(m.requests) &&
    count(m.refusals) &&
    count(m.errors) &&
    (m.p95Ms === null || (isTime(m.p95Ms) && m.p95Ms >= 0)) &&
    timeOrNull(v.closedAt) &&
    isTime(v.updatedAt) &&
    isTime(v.expiresAt);
  return ok ? (v as unknown as TerminalState) : undefined;
}

/** The version of {@link FileAccounts} this module reads and the gateways write. */
export const FILE_ACCOUNTS_VERSION = 1;

/** `accounts.<gatewayId>`: the accounts of one gateway replica's accounts file. */
export function fileAccountsKey(gatewayId: string): string {
  if (!TOKEN.test(gatewayId) || gatewayId === FILE_ACCOUNTS_TOKEN) throw new RangeError(`a gateway id is [A-Za-z0-9_-]+ and not "accounts": ${JSON.stringify(gatewayId)}`);
  return `${FILE_ACCOUNTS_TOKEN}.${gatewayId}`;
}

/** The gateway id of a {@link fileAccountsKey}; undefined for any other key (a connection's). */
export function fileAccountsGateway(key: string): string | undefined {
  const [first, gatewayId, ...rest] = key.split(".");
  return first === FILE_ACCOUNTS_TOKEN && gatewayId !== undefined && TOKEN.test(gatewayId) && rest.length === 0 ? gatewayId : undefined;
}

/**
 * One account of a gateway's accounts file as it is in force (the file's `defaults` applied):
 * what a console shows of it. Never its password or the password's hash.
 */
export interface FileAccount {
  readonly login: string;
  /** false: switched off in the file; its logins and bindings are refused. */
  readonly active: boolean;
  readonly institutionId: string;
  readonly libraryName: string;
  /** The account's location (a 93's CP overrides it for that connection). */
  readonly location: string;
  /** CIDRs the account may connect from; empty = anywhere. */
  readonly allowedNetworks: readonly string[];
  /** Source addresses whose connections are bound to the account without a 93. */
  readonly bindAddresses: readonly string[];
  readonly permissions: readonly string[];
  /** "ibm850", "utf8" or "latin1". */
  readonly charset: string;
  /** What the 93's CO must be: "required" (the password the file's hash was made from), "ignored", "blank". */
  readonly terminalPassword: "required" | "ignored" | "blank";
  /** The response profile's name. */
  readonly responseProfile: string;
  /** IANA zone of the terminal's dates. */
  readonly timeZone: string;
}

/**
 * The accounts of one replica's accounts file, at `fileAccountsKey(gatewayId)`: written when
 * the replica starts, when the file is reloaded, and every refresh period, so that, like a
 * connection's entry, it ages out with the bucket's max age once its replica stops. Times are
 * Unix milliseconds.
 */
export interface FileAccounts {
  readonly v: typeof FILE_ACCOUNTS_VERSION;
  readonly gatewayId: string;
  readonly accounts: readonly FileAccount[];
  /** When the replica loaded the file in force (its start, or the last reload that succeeded). */
  readonly loadedAt: number;
  readonly updatedAt: number;
  /** updatedAt + the bucket's max age: past this instant treat the entry as gone (see {@link TerminalState.expiresAt}). */
  readonly expiresAt: number;
}

const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

function isFileAccount(v: unknown): v is FileAccount {
  return (
    isObject(v) &&
    str(v.login) &&
    typeof v.active === "boolean" &&
    str(v.institutionId) &&
    str(v.libraryName) &&
    str(v.location) &&
    strings(v.allowedNetworks) &&
    strings(v.bindAddresses) &&
    strings(v.permissions) &&
    str(v.charset) &&
    (v.terminalPassword === "required" || v.terminalPassword === "ignored" || v.terminalPassword === "blank") &&
    str(v.responseProfile) &&
    str(v.timeZone)
  );
}

/**
 * Reads a file-accounts entry. Undefined for anything that is not a version-1 entry; accounts in
 * it that do not read are left out (the others still show).
 */
export function parseFileAccounts(data: string | Uint8Array): FileAccounts | undefined {
  let v: unknown;
  try {
    v = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.v !== FILE_ACCOUNTS_VERSION || !str(v.gatewayId) || !Array.isArray(v.accounts)) return undefined;
  if (!isTime(v.loadedAt) || !isTime(v.updatedAt) || !isTime(v.expiresAt)) return undefined;
  return { ...(v as unknown as FileAccounts), accounts: v.accounts.filter(isFileAccount) };
}
