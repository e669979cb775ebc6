/**
 * What a pure decider returns. A refusal is data, not an exception: it names a
 * reason from the decider's string-literal union and may still carry events that
 * must be recorded (a rejected PIN counts towards the lock-out, for example).
 */
export type Decision<E, R extends string, A = undefined> = Accepted<E, A> | Refused<E, R>;

export interface Accepted<E, A = undefined> {
  readonly outcome: "accepted";
  readonly events: readonly E[];
  /** Data the reply needs that is not in the events (optional). */
  readonly data: A;
}

export interface Refused<E, R extends string> {
  readonly outcome: "refused";
  readonly reason: R;
  /** For logs and operators; never shown to a kiosk as is. */
  readonly detail?: string;
  readonly events: readonly E[];
}

export function accept<E>(events: readonly E[]): Accepted<E, undefined>;
export function accept<E, A>(events: readonly E[], data: A): Accepted<E, A>;
export function accept<E, A>(events: readonly E[], data?: A): Accepted<E, A | undefined> {
  return { outcome: "accepted", events, data };
}

export function refuse<R extends string, E = never>(
  reason: R,
  detail?: string,
  events: readonly E[] = [],
): Refused<E, R> {
  return detail === undefined ? { outcome: "refused", reason, events } : { outcome: "refused", reason, detail, events };
}

/** Fold events over a state with an `evolve` function. */
export function fold<S, E>(evolve: (state: S, event: E) => S, initial: S, events: Iterable<E>): S {
  let state = initial;
  for (const e of events) state = evolve(state, e);
  return state;
}
