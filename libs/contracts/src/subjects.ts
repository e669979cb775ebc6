/**
 * NATS subject conventions: commands on `<prefix>.cmd.<service>.<Command>`,
 * events on `<prefix>.evt.<service>.<EventType>`. The prefix lets tests and
 * several deployments share one cluster.
 */

/** Prefix used when none is configured. */
export const DEFAULT_SUBJECT_PREFIX = "circ";

/** The services that own commands and events. */
export const SERVICE_NAMES = ["patron", "item", "loan", "fee", "hold"] as const;
/** One of {@link SERVICE_NAMES}. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

const prefixPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Throws unless `prefix` is one or more dot-separated NATS tokens without wildcards. */
export function assertSubjectPrefix(prefix: string): void {
  if (!prefixPattern.test(prefix)) {
    throw new RangeError(`invalid NATS subject prefix ${JSON.stringify(prefix)}: use tokens of [A-Za-z0-9_-] separated by dots`);
  }
}

/** `<prefix>.cmd.<service>.>`: every command subject of one service (for its consumer). */
export function serviceCommandsSubject(service: ServiceName, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  assertSubjectPrefix(prefix);
  return `${prefix}.cmd.${service}.>`;
}

/** `<prefix>.evt.<service>.>`: every event subject of one service (for its stream). */
export function serviceEventsSubject(service: ServiceName, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  assertSubjectPrefix(prefix);
  return `${prefix}.evt.${service}.>`;
}
