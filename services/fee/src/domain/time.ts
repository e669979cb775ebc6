export { isLocalDate, isTimeZone, type LocalDate } from "@circulate/domain";

/** An instant as ISO 8601 text with an offset ("2025-03-01T14:00:00Z"), as events carry it. */
export type Instant = string;

export function isInstant(text: string): boolean {
  // Require a date and a zone designator: a zoneless time would be read in the server's zone.
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
}
