/** The console's API as the page uses it: same origin, the session cookie, the CSRF token on every change. */

export type Role = "viewer" | "circulation" | "administrator";
export interface Me {
  name: string;
  role: Role;
  csrfToken: string;
}

const RANK: Record<Role, number> = { viewer: 1, circulation: 2, administrator: 3 };
/** What the page shows; the API decides (403) whatever the page shows. */
export const may = (me: Me, role: Role) => RANK[me.role] >= RANK[role];

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf = "";
let onSignedOut: () => void = () => {};

/** Called when an answer says the session is gone (401): the page goes back to sign-in. */
export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: {
      accept: "application/json",
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(method !== "GET" && csrf ? { "x-csrf-token": csrf } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (parsed ?? {}) as { error?: string; message?: string };
    if (res.status === 401 && path !== "/api/session") onSignedOut();
    throw new ApiFailure(res.status, e.error ?? "error", e.message ?? res.statusText);
  }
  return parsed as T;
}

export async function currentSession(): Promise<Me | undefined> {
  try {
    const me = await api<Me>("GET", "/api/session");
    csrf = me.csrfToken;
    return me;
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return undefined;
    throw err;
  }
}

export async function signIn(name: string, password: string): Promise<Me> {
  const me = await api<Me>("POST", "/api/session", { name, password });
  csrf = me.csrfToken;
  return me;
}

export async function signOut(): Promise<void> {
  await api("DELETE", "/api/session").catch(() => undefined);
  csrf = "";
}

export const enc = encodeURIComponent;

export interface Money {
  currency: string;
  amountMinor: number;
}
export const money = (m: Money) => `${(m.amountMinor / 100).toFixed(2)} ${m.currency}`;
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** A contract enum's name as staff read it: `FEE_TYPE_OVERDUE` → `overdue`. */
export const label = (name: string) =>
  name
    .replace(/^(FEE_TYPE|HOLD_STATUS|HOLD_TYPE|ITEM_STATE|MEDIA_TYPE)_/, "")
    .toLowerCase()
    .replaceAll("_", " ");

/** What a failure says to staff. */
export const explain = (err: unknown) => (err instanceof ApiFailure ? `${err.message} (${err.status})` : String(err));
