import { randomFillSync } from "node:crypto";

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits.
 * Ids sort by creation time to the millisecond, which keeps B-tree indexes on
 * command and event ids compact. Within one millisecond the order is random.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = new Uint8Array(16);
  randomFillSync(b, 6);
  let ms = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const h = Array.from(b, (x) => hex[x]!).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
