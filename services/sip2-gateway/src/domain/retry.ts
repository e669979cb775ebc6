import { createHash } from "node:crypto";

/** A terminal's last request that went to a service, as the gateway remembers it. */
export interface LastRequest {
  /** SHA-256 (hex) of the request's raw bytes. */
  readonly digest: string;
  /** The command id it was sent with; empty for a query (queries are never replayed). */
  readonly commandId: string;
  /** When the first attempt was received (epoch ms): a retry's budget counts from here. */
  readonly at: number;
}

/** What to do with a request, given what the terminal sent before it. */
export type RetryVerdict = { readonly retry: true; readonly of: LastRequest } | { readonly retry: false };

export function requestDigest(raw: Uint8Array): string {
  return createHash("sha256").update(raw).digest("hex");
}

/**
 * A retry, in SIP2, is a kiosk that did not get (or could not read) the answer
 * sending the same request again as its very next request — on the same
 * connection or after reconnecting, to any gateway replica — within the
 * account's retry budget. Identical bytes after anything else, or later, are a
 * new transaction: kiosks with frozen or blank clocks send identical bytes for
 * different transactions. Only transactions are retried: a query is answered
 * fresh every time.
 */
export function judgeRetry(last: LastRequest | undefined, digest: string, now: number, budgetMs: number): RetryVerdict {
  if (!last || last.commandId === "" || last.digest !== digest || budgetMs <= 0) return { retry: false };
  const age = now - last.at;
  // A clock step backwards must not stretch the budget: a negative age is not a retry either.
  if (age < 0 || age > budgetMs) return { retry: false };
  return { retry: true, of: last };
}

/**
 * The key terminals are remembered under: the login, the location it stands
 * at (CP) and the address it connects from, hashed because all are free text
 * and the key is a NATS KV key. Libraries often give every kiosk one login and
 * no location of its own: the address still tells those kiosks apart, and a
 * kiosk that reconnects keeps its address.
 */
export function terminalKey(login: string, location: string, address: string): string {
  return createHash("sha256").update(login).update("\u0000").update(location).update("\u0000").update(address).digest("hex").slice(0, 40);
}
