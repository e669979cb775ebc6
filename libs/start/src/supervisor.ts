/**
 * What `pnpm start` does when one of its processes dies: the policy, with no
 * I/O, so the schedule and every transition are unit-tested. `processes.ts`
 * spawns, kills and polls; this file only decides.
 */

export interface BackoffPolicy {
  /** Delay before the first restart. */
  readonly initialMs: number;
  /** The delay doubles per consecutive failure up to this. */
  readonly maxMs: number;
  /** Up (ready) this long, the child is healthy again: the next exit restarts after `initialMs`. */
  readonly resetAfterMs: number;
  /** Each delay is spread by ± this fraction, so children that died together do not restart in lock step. */
  readonly jitter: number;
  /** Consecutive failures after which the child is said to be crash-looping (printed once). */
  readonly crashLoopAfter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000, jitter: 0.2, crashLoopAfter: 3 };

/**
 * Delay before restart number `failures` (1 = the first restart after a healthy run).
 * `random` is in [0, 1); 0.5 gives the un-jittered value.
 */
export function restartDelayMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = 0.5): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 30));
  const spread = 1 + policy.jitter * (2 * random - 1);
  return Math.round(Math.min(policy.maxMs, base * spread));
}

/** How a child ended, as Node reports it: "exit code 1" or "signal SIGKILL". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? "unknown"}`;
}

/** Where one supervised child is. */
export type ChildState =
  /** First start, not ready yet: an exit here fails `pnpm start` rather than looping on a broken setup. */
  | { readonly phase: "starting" }
  /** Ready; `failures` counts the exits since it last stayed up `resetAfterMs`. */
  | { readonly phase: "up"; readonly since: number; readonly failures: number }
  /** Exited; a restart is scheduled. `downSince` is the first exit of this outage. */
  | { readonly phase: "waiting"; readonly downSince: number; readonly failures: number }
  /** Spawned again, not ready yet. */
  | { readonly phase: "restarting"; readonly downSince: number; readonly failures: number }
  /** Exited before it was ever ready; not restarted. */
  | { readonly phase: "failed" }
  /** Stopped on purpose (Ctrl-C, SIGTERM): never restarted. */
  | { readonly phase: "stopped" };

export type ChildEvent =
  | { readonly type: "ready"; readonly at: number }
  | { readonly type: "exited"; readonly at: number; readonly how: string }
  /** The scheduled restart is due: spawn it. */
  | { readonly type: "respawn" }
  | { readonly type: "stop" };

export interface Transition {
  readonly state: ChildState;
  /** Schedule a `respawn` event after this many milliseconds. */
  readonly restartInMs?: number;
  /** Spawn the child now. */
  readonly spawn?: boolean;
  /** One line for the terminal: only when the outage changes, never once per attempt. */
  readonly say?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The next state of child `name` after `event`. Unexpected events leave the state as it is. */
export function transition(
  name: string,
  state: ChildState,
  event: ChildEvent,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random = 0.5,
): Transition {
  if (state.phase === "stopped" || state.phase === "failed") return { state };
  if (event.type === "stop") return { state: { phase: "stopped" } };

  switch (state.phase) {
    case "starting":
      if (event.type === "ready") return { state: { phase: "up", since: event.at, failures: 0 } };
      if (event.type === "exited") return { state: { phase: "failed" } };
      return { state };

    case "up": {
      if (event.type !== "exited") return { state };
      const healthy = event.at - state.since >= policy.resetAfterMs;
      const failures = healthy ? 1 : state.failures + 1;
      const delay = restartDelayMs(failures, policy, random);
      return {
        state: { phase: "waiting", downSince: event.at, failures },
        restartInMs: delay,
        say: `${name} exited (${event.how}); restarting in ${seconds(delay)}`,
      };
    }

    case "waiting":
      if (event.type === "respawn") return { state: { ...state, phase: "restarting" }, spawn: true };
      return { state };

    case "restarting": {
      if (event.type === "ready") {
        return {
          state: { phase: "up", since: event.at, failures: state.failures },
          say: `${name} is back after ${seconds(event.at - state.downSince)}`,
        };
      }
      if (event.type !== "exited") return { state };
      const failures = state.failures + 1;
      const delay = restartDelayMs(failures, policy, random);
      const next: Transition = { state: { phase: "waiting", downSince: state.downSince, failures }, restartInMs: delay };
      if (failures !== policy.crashLoopAfter) return next;
      return {
        ...next,
        say: `${name} keeps exiting (${event.how}, ${failures} times in a row); still restarting it, backing off up to ${seconds(policy.maxMs)}`,
      };
    }
  }
}
