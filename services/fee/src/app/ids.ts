import { createHash } from "node:crypto";

/**
 * A UUID (version 8, name-based) derived from its parts: the same cause always
 * gives the same fee or receipt id, so a redelivered event, a re-run import or
 * a retried admin request lands on the record it made the first time.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32).split("");
  hex[12] = "8";
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Fee id of the overdue fine a checkin event produced. */
export const overdueFeeId = (checkinEventId: string) => derivedId("fee", "overdue", checkinEventId);
/** Fee id of a charge an event asked for (rental on checkout). */
export const eventFeeId = (eventId: string) => derivedId("fee", "event", eventId);
/** Fee id of an imported charge: its previous system's id, within the patron's institution. */
export const importedFeeId = (institutionId: string, externalId: string) => derivedId("fee", "import", institutionId, externalId);
/** Fee id of a ChargeFee request. */
export const requestedFeeId = (requestId: string) => derivedId("fee", "request", requestId);
/** Receipt id (38 BK) of the payment a 37 command made. */
export const paymentIdFor = (commandId: string) => derivedId("fee", "payment", commandId);
