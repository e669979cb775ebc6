/** An instant as ISO 8601 text with an offset ("2025-03-01T14:00:00Z"), as events carry it. */
export type Instant = string;

export function isInstant(text: string): boolean {
  // A zoneless time would be read in the server's zone: require the offset.
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
}

/** `a` is at or before `b`. Instants may carry different offsets, so compare as times, not text. */
export function atOrBefore(a: Instant, b: Instant): boolean {
  return Date.parse(a) <= Date.parse(b);
}

/** Events carry times as `Date`, unset = none; the domain compares instants. */
export const instantOf = (d: Date | undefined): Instant | null => (d === undefined ? null : d.toISOString());
export const dateOf = (i: Instant | null): Date | undefined => (i === null ? undefined : new Date(i));
