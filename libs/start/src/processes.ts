import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { Writable } from "node:stream";
import type { ProcessSpec } from "./plan.js";
import { type BackoffPolicy, type ChildEvent, type ChildState, DEFAULT_BACKOFF, describeExit, transition } from "./supervisor.js";

/** One process of the stack, across its restarts. */
export interface Supervised {
  readonly spec: ProcessSpec;
  /** The process running now (a new one after each restart). */
  readonly child: ChildProcess;
  readonly state: ChildState;
  /** How the first run ended ("exit code 0", "signal SIGKILL"): what a one-shot job is judged by. */
  readonly exited: Promise<string>;
}

export interface SupervisorOptions {
  /** Where every child's output goes: a pretty printer on a terminal, plain JSON lines otherwise. */
  sink: Writable;
  /** One line for the operator per change of a child's state ("loan exited …", "loan is back …"). */
  say: (line: string) => void;
  policy?: BackoffPolicy;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
}

class Slot implements Supervised {
  child!: ChildProcess;
  state: ChildState = { phase: "starting" };
  exited!: Promise<string>;
  timer: NodeJS.Timeout | undefined;
  /** Aborts the readiness poll of a restarted child. */
  watching: AbortController | undefined;
  constructor(readonly spec: ProcessSpec) {}
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Polls GET /readyz until it answers 200; false when `signal` aborts first. */
async function pollReady(port: number, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.any([signal, AbortSignal.timeout(1_000)]) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Runs the stack's processes from the repository's TypeScript sources (tsx, and
 * the `@circulate/source` export condition), so `pnpm start` needs no build, and
 * keeps them running: a process that dies after it was ready is restarted with
 * backoff (see supervisor.ts) while the others keep serving.
 */
export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping = false;
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;

  constructor(
    private readonly root: string,
    private readonly options: SupervisorOptions,
  ) {
    // Each running child pipes two streams into the sink, each adding its listeners: more than the default 10 is normal here.
    options.sink.setMaxListeners(0);
    this.policy = options.policy ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
  }

  /**
   * Starts a process. It is supervised once `ready` has seen it ready; a one-shot job
   * (never waited on with `ready`) just runs to its end.
   */
  start(spec: ProcessSpec): Supervised {
    const slot = new Slot(spec);
    this.slots.push(slot);
    slot.exited = this.spawn(slot);
    return slot;
  }

  /** Waits until the process answers /readyz, or fails when it exits or the time runs out. */
  async ready(p: Supervised, timeoutMs: number): Promise<void> {
    const slot = p as Slot;
    const gone = new AbortController();
    void slot.exited.then(() => gone.abort());
    const ok = await pollReady(slot.spec.readyPort, AbortSignal.any([gone.signal, AbortSignal.timeout(timeoutMs)]));
    if (ok && alive(slot.child)) {
      this.dispatch(slot, { type: "ready", at: Date.now() });
      return;
    }
    throw new Error(
      gone.signal.aborted ? `${slot.spec.name} exited while starting (see its log above)` : `${slot.spec.name} was not ready within ${timeoutMs / 1000} s`,
    );
  }

  /**
   * Stops every process, the last started first (the gateway before the services): SIGTERM
   * (graceful drain), SIGKILL after the grace period. Pending restarts are cancelled.
   */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) this.dispatch(slot, { type: "stop" });
    for (const slot of [...this.slots].reverse()) {
      const child = slot.child;
      if (!alive(child)) continue;
      const ended = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await ended;
      clearTimeout(timer);
    }
  }

  private spawn(slot: Slot): Promise<string> {
    const { spec } = slot;
    const child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", path.join(this.root, spec.entry), ...spec.args], {
      cwd: this.root,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    slot.child = child;
    // end: false — one child ending must not close the shared terminal stream.
    child.stdout?.pipe(this.options.sink, { end: false });
    child.stderr?.pipe(this.options.sink, { end: false });
    return new Promise<string>((resolve) => {
      child.once("exit", (code, signal) => {
        const how = describeExit(code, signal);
        resolve(how);
        slot.watching?.abort();
        if (!this.stopping) this.dispatch(slot, { type: "exited", at: Date.now(), how });
      });
    });
  }

  private dispatch(slot: Slot, event: ChildEvent): void {
    const next = transition(slot.spec.name, slot.state, event, this.policy, this.random());
    slot.state = next.state;
    if (next.say) this.options.say(next.say);
    if (next.state.phase === "stopped") {
      clearTimeout(slot.timer);
      slot.watching?.abort();
    }
    if (next.restartInMs !== undefined) {
      slot.timer = setTimeout(() => this.dispatch(slot, { type: "respawn" }), next.restartInMs);
    }
    if (next.spawn) this.respawn(slot);
  }

  private respawn(slot: Slot): void {
    this.spawn(slot);
    const watching = new AbortController();
    slot.watching = watching;
    void pollReady(slot.spec.readyPort, watching.signal).then((ok) => {
      if (ok && !watching.signal.aborted) this.dispatch(slot, { type: "ready", at: Date.now() });
    });
  }
}
