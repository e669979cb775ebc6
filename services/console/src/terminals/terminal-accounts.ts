import { PERMISSIONS, validateTerminalAccountEntry } from "@circulate/sip2-gateway/accounts";
import type { KV } from "@nats-io/kv";
import { ApiError, notFound } from "../http/api.js";
import { hashPassword } from "../passwords.js";
import { type FleetSnapshot, fileAccountsOf } from "./terminal-view.js";

/** What the console lets an administrator set on a terminal account; the rest of an entry is kept as it is. */
export interface TerminalSettings {
  institutionId?: string;
  libraryName?: string;
  location?: string;
  allowedNetworks?: string[];
  bindAddresses?: string[];
  permissions?: string[];
  charset?: string;
  active?: boolean;
  terminalPassword?: string;
  responseProfile?: string;
  timeZone?: string;
  /** The terminal's login password; only its scrypt hash is stored. */
  password?: string;
}

const text = { type: "string", minLength: 1, maxLength: 200 } as const;
const list = { type: "array", maxItems: 64, items: { type: "string", minLength: 1, maxLength: 64 } } as const;

/** Request schema of the settings (values are checked again, whole, by the gateways' own rules). */
export const settingsProperties = {
  institutionId: text,
  libraryName: text,
  location: text,
  allowedNetworks: list,
  bindAddresses: list,
  permissions: { type: "array", maxItems: PERMISSIONS.length, uniqueItems: true, items: { type: "string", enum: [...PERMISSIONS] } },
  charset: { type: "string", enum: ["ibm850", "utf8", "latin1"] },
  active: { type: "boolean" },
  terminalPassword: { type: "string", enum: ["required", "blank", "ignored"] },
  responseProfile: text,
  timeZone: text,
  password: { type: "string", minLength: 8, maxLength: 1024 },
} as const;

/** How a change reads in the audit trail: names and values, never the password. */
export function describeSettings(s: TerminalSettings): string {
  return Object.entries(s)
    .filter(([k, v]) => v !== undefined && k !== "password")
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(" ") || "(none)" : String(v)}`)
    .concat(s.password !== undefined ? ["new password"] : [])
    .join(", ");
}

async function entryWith(base: Record<string, unknown>, settings: TerminalSettings): Promise<Record<string, unknown>> {
  const { password, ...rest } = settings;
  const entry: Record<string, unknown> = { ...base, ...rest };
  if (password !== undefined) entry.passwordHash = await hashPassword(password);
  return entry;
}

function checked(login: string, entry: Record<string, unknown>): void {
  const problems = validateTerminalAccountEntry(login, entry);
  if (problems.length > 0) throw new ApiError(400, "bad_request", `the gateways would not apply this account: ${problems.join("; ")}`);
}

/**
 * A login of a gateway's accounts file (as its replicas publish them) is the file's, which wins
 * over the bucket at every gateway: refused (409) whether or not the bucket has it too. So is
 * a login only seen connected that the bucket does not have (a gateway that does not publish
 * its file).
 */
function refuseFileAccount(fleet: FleetSnapshot, login: string, inBucket: boolean): void {
  const gateways = fileAccountsOf(fleet, login, Date.now()).map((f) => f.gatewayId);
  if (gateways.length > 0) {
    throw new ApiError(409, "conflict", `${login} is managed in the accounts file of gateway ${gateways.join(", ")}, which wins over the console's accounts; change it in that file`);
  }
  if (inBucket) return;
  for (const s of fleet.connections.values()) {
    if (s.login === login) throw new ApiError(409, "conflict", `${login} is an account of a gateway's accounts file, which wins over the console's; change it there`);
  }
}

/** Writes a new entry; refused (409) when the login exists in the bucket or is a file account. */
export async function createTerminalAccount(kv: KV, fleet: FleetSnapshot, login: string, settings: TerminalSettings): Promise<{ entry: Record<string, unknown>; revision: number }> {
  refuseFileAccount(fleet, login, fleet.accounts.has(login));
  const entry = await entryWith({ login }, settings);
  checked(login, entry);
  try {
    return { entry, revision: await kv.create(login, JSON.stringify(entry)) };
  } catch (err) {
    if (/wrong last sequence|key exists/i.test((err as Error).message)) throw new ApiError(409, "conflict", `terminal account ${login} exists`);
    throw err;
  }
}

/**
 * Changes an entry read at `revision`: when anyone wrote it since, 409 and nothing written (the
 * KV update is conditional on that revision, so two edits cannot silently overwrite each other).
 */
export async function updateTerminalAccount(
  kv: KV,
  fleet: FleetSnapshot,
  login: string,
  revision: number,
  settings: TerminalSettings,
): Promise<{ entry: Record<string, unknown>; revision: number }> {
  const current = await kv.get(login);
  refuseFileAccount(fleet, login, current?.operation === "PUT");
  if (current?.operation !== "PUT") throw notFound(`terminal account ${login}`);
  const stale = () => new ApiError(409, "conflict", `terminal account ${login} was changed since revision ${revision}; reload it and edit again`);
  if (current.revision !== revision) throw stale();
  let base: Record<string, unknown>;
  try {
    base = JSON.parse(current.string()) as Record<string, unknown>;
  } catch {
    base = { login };
  }
  const entry = await entryWith(base, settings);
  checked(login, entry);
  try {
    return { entry, revision: await kv.update(login, JSON.stringify(entry), revision) };
  } catch (err) {
    if (/wrong last sequence/i.test((err as Error).message)) throw stale();
    throw err;
  }
}
