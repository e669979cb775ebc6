import { createHash } from "node:crypto";

/**
 * The command id of a request: a UUID (version 8, "custom") made from the
 * SHA-256 of the account login and the request's raw bytes. A kiosk that
 * re-sends the same bytes — on this connection, a new one, or to another
 * gateway replica — therefore sends the same command id, and the owning
 * service answers from its idempotency record instead of acting twice.
 */
export function commandIdFor(login: string, raw: Uint8Array): string {
  const h = createHash("sha256").update(login).update("\u0000").update(raw).digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8
  h[8] = (h[8]! & 0x3f) | 0x80; // variant 10
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
