import { type FileAccount, type FileAccounts, isTerminalStateCurrent, SC_STATUS, type TerminalState } from "@circulate/contracts";

/**
 * What the fleet page shows of one terminal account: the account (from the accounts bucket, or
 * from the gateways' accounts files as they publish them in the fleet bucket) joined with the
 * live connections the gateways write to the fleet bucket. Pure: the watch (fleet-watch.ts)
 * feeds it, the routes serialise it.
 */

/** One entry of `<prefix>_TERMINAL_ACCOUNTS`, as read. `entry` holds the password hash: never send it. */
export interface AccountRecord {
  readonly login: string;
  readonly entry: Record<string, unknown>;
  readonly revision: number;
  /** What the gateways would log when ignoring it; empty when they apply it. */
  readonly problems: readonly string[];
}

/**
 * connected: logged in and talking; silent: connected but no request for longer than the
 * threshold; out-of-paper / shutting-down: its last 99's status; disconnected: no live connection.
 */
export type TerminalStatus = "connected" | "silent" | "out-of-paper" | "shutting-down" | "disconnected";

export type ScStatusName = "ok" | "out-of-paper" | "shutting-down" | "unknown";

export interface ConnectionView {
  readonly gatewayId: string;
  readonly connectionId: string;
  readonly status: Exclude<TerminalStatus, "disconnected">;
  readonly address: string | null;
  readonly listener: "tcp" | "tls";
  /** The TLS protocol ("TLSv1.3"), null on plain TCP. */
  readonly tls: string | null;
  readonly location: string | null;
  readonly authenticatedBy: "login" | "binding" | null;
  readonly connectedAt: string;
  readonly lastRequestAt: string | null;
  readonly scStatus: ScStatusName | null;
  readonly requests: number;
  readonly refusals: number;
  readonly errors: number;
  readonly p95Ms: number | null;
}

/** The settings of an account entry the page shows and edits; never its password hash. */
export const ACCOUNT_FIELDS = [
  "institutionId",
  "libraryName",
  "location",
  "allowedNetworks",
  "bindAddresses",
  "permissions",
  "charset",
  "active",
  "terminalPassword",
  "responseProfile",
  "timeZone",
] as const;
export type AccountView = Partial<Record<(typeof ACCOUNT_FIELDS)[number], unknown>> & { readonly hasPassword: boolean };

export interface TerminalView {
  readonly login: string;
  /**
   * `console`: an entry of the accounts bucket, which the console edits. `file`: an account of
   * a gateway's accounts file (which wins over the bucket), read-only here; also a login only
   * seen connected, through a gateway that does not publish its file.
   */
  readonly source: "console" | "file";
  readonly revision: number | null;
  /** Null for a login only seen connected. */
  readonly account: AccountView | null;
  /** The gateway replicas whose accounts file has it, by id; empty for a console account. */
  readonly gateways: readonly string[];
  /** What the page should say besides: replicas' files that differ, a console entry the file overrides. */
  readonly note: string | null;
  readonly problems: readonly string[];
  readonly status: TerminalStatus;
  /** The latest request or connection event seen, by any gateway; null when never seen since the console started. */
  readonly lastSeenAt: string | null;
  readonly connections: readonly ConnectionView[];
  /** Summed over its live connections, the last minute. */
  readonly requestsPerMinute: number;
  /** Of the last minute's requests; null without requests. */
  readonly refusalRate: number | null;
  readonly errorRate: number | null;
  /** The worst connection's p95 over the last minute. */
  readonly p95Ms: number | null;
}

export interface FleetSnapshot {
  readonly accounts: ReadonlyMap<string, AccountRecord>;
  /** Each gateway replica's accounts file, by gateway id (expired ones included: filtered here). */
  readonly fileAccounts: ReadonlyMap<string, FileAccounts>;
  /** Entries of the fleet bucket by key, as last written (expired ones included: filtered here). */
  readonly connections: ReadonlyMap<string, TerminalState>;
  /** When each login was last seen, remembered past its entries' expiry. */
  readonly lastSeen: ReadonlyMap<string, number>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function scName(code: number): ScStatusName {
  if (code === SC_STATUS.ok) return "ok";
  if (code === SC_STATUS.printerOutOfPaper) return "out-of-paper";
  if (code === SC_STATUS.shuttingDown) return "shutting-down";
  return "unknown";
}

/** The last moment a connection did something: its last request, else its login, else its connect. */
export function lastActivity(s: TerminalState): number {
  return s.lastRequestAt ?? s.loggedInAt ?? s.connectedAt;
}

function connectionStatus(s: TerminalState, now: number, silentMs: number): ConnectionView["status"] {
  if (s.scStatus?.code === SC_STATUS.shuttingDown) return "shutting-down";
  if (s.scStatus?.code === SC_STATUS.printerOutOfPaper) return "out-of-paper";
  return now - lastActivity(s) > silentMs ? "silent" : "connected";
}

/** Worst first: what a row's badge says when a terminal has more than one connection. */
const SEVERITY: readonly ConnectionView["status"][] = ["shutting-down", "out-of-paper", "silent", "connected"];

function connectionView(s: TerminalState, now: number, silentMs: number): ConnectionView {
  return {
    gatewayId: s.gatewayId,
    connectionId: s.connectionId,
    status: connectionStatus(s, now, silentMs),
    address: s.clientAddress,
    listener: s.listener,
    tls: s.tls ? (s.tls.protocol ?? "TLS") : null,
    location: s.location,
    authenticatedBy: s.authenticatedBy,
    connectedAt: new Date(s.connectedAt).toISOString(),
    lastRequestAt: iso(s.lastRequestAt),
    scStatus: s.scStatus ? scName(s.scStatus.code) : null,
    requests: s.lastMinute.requests,
    refusals: s.lastMinute.refusals,
    errors: s.lastMinute.errors,
    p95Ms: s.lastMinute.p95Ms,
  };
}

const LIST_FIELDS: ReadonlySet<string> = new Set(["allowedNetworks", "bindAddresses", "permissions"]);

/** The shown settings, each only when it has the type the page expects (an entry that does not validate may not). */
export function accountView(entry: Record<string, unknown>): AccountView {
  const view: Record<string, unknown> = { hasPassword: typeof entry.passwordHash === "string" };
  for (const f of ACCOUNT_FIELDS) {
    const v = entry[f];
    const fits = f === "active" ? typeof v === "boolean" : LIST_FIELDS.has(f) ? Array.isArray(v) && v.every((x) => typeof x === "string") : typeof v === "string";
    if (fits) view[f] = v;
  }
  return view as AccountView;
}

/** A login's account in each replica's accounts file that is current, by gateway id. */
export function fileAccountsOf(snapshot: Pick<FleetSnapshot, "fileAccounts">, login: string, now: number): { gatewayId: string; loadedAt: number; account: FileAccount }[] {
  const found: { gatewayId: string; loadedAt: number; account: FileAccount }[] = [];
  for (const f of snapshot.fileAccounts.values()) {
    if (f.expiresAt <= now) continue;
    const account = f.accounts.find((a) => a.login === login);
    if (account) found.push({ gatewayId: f.gatewayId, loadedAt: f.loadedAt, account });
  }
  return found.sort((a, b) => a.gatewayId.localeCompare(b.gatewayId));
}

/**
 * The account as the page shows it and where it comes from: a file's (the latest loaded when
 * replicas' files differ, which the note says) over the bucket's, as at the gateways.
 */
function accountOf(login: string, record: AccountRecord | undefined, files: ReturnType<typeof fileAccountsOf>) {
  if (files.length === 0) {
    return { source: record ? "console" : "file", revision: record?.revision ?? null, account: record ? accountView(record.entry) : null, gateways: [], note: null, problems: record?.problems ?? [] } as const;
  }
  const shown = files.reduce((a, b) => (b.loadedAt > a.loadedAt ? b : a));
  const same = files.every((f) => JSON.stringify(f.account) === JSON.stringify(shown.account));
  const notes = [
    ...(same ? [] : [`the accounts files of ${files.map((f) => f.gatewayId).join(", ")} differ for ${login}; shown as in ${shown.gatewayId}'s, the latest loaded`]),
    ...(record ? [`the console's entry (revision ${record.revision}) is ignored: the accounts file wins`] : []),
  ];
  return {
    source: "file",
    revision: null,
    account: { ...accountView(shown.account as unknown as Record<string, unknown>), hasPassword: shown.account.terminalPassword === "required" },
    gateways: files.map((f) => f.gatewayId),
    note: notes.length === 0 ? null : notes.join("; "),
    problems: [],
  } as const;
}

/**
 * Every terminal: each account of the bucket, each account of a gateway's accounts file (read-only
 * here; both replicas' files when they differ, as a union), and each login the fleet shows
 * connected that neither has, sorted by login. Connections without a login yet (before their
 * 93) belong to no terminal and are left out.
 */
export function terminalViews(snapshot: FleetSnapshot, now: number, silentMs: number): TerminalView[] {
  const live = new Map<string, TerminalState[]>();
  for (const s of snapshot.connections.values()) {
    if (s.state !== "connected" || s.login === null || !isTerminalStateCurrent(s, now)) continue;
    live.set(s.login, [...(live.get(s.login) ?? []), s]);
  }
  const fileLogins = [...snapshot.fileAccounts.values()].filter((f) => f.expiresAt > now).flatMap((f) => f.accounts.map((a) => a.login));
  const logins = new Set([...snapshot.accounts.keys(), ...fileLogins, ...live.keys()]);
  return [...logins].sort().map((login) => {
    const conns = (live.get(login) ?? []).sort((a, b) => a.connectedAt - b.connectedAt).map((s) => connectionView(s, now, silentMs));
    const requests = conns.reduce((n, c) => n + c.requests, 0);
    const rate = (count: number) => (requests === 0 ? null : count / requests);
    const p95s = conns.map((c) => c.p95Ms).filter((p): p is number => p !== null);
    const seen = snapshot.lastSeen.get(login);
    return {
      login,
      ...accountOf(login, snapshot.accounts.get(login), fileAccountsOf(snapshot, login, now)),
      status: conns.length === 0 ? "disconnected" : SEVERITY.find((s) => conns.some((c) => c.status === s))!,
      lastSeenAt: seen === undefined ? null : new Date(seen).toISOString(),
      connections: conns,
      requestsPerMinute: requests,
      refusalRate: rate(conns.reduce((n, c) => n + c.refusals, 0)),
      errorRate: rate(conns.reduce((n, c) => n + c.errors, 0)),
      p95Ms: p95s.length === 0 ? null : Math.max(...p95s),
    };
  });
}
