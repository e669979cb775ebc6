import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { Writable } from "node:stream";
import type { ProcessSpec } from "./plan.js";


export interface Supervised {
  spec: ProcessSpec;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<string>;
}

/**
 * Runs the stack's processes from the repository's TypeScript sources (tsx, and
 * the `@circulate/source` export condition), so `pnpm start` needs no build.
 */
export class Supervisor {
  private readonly running: Supervised[] = [];
  private stopping = false;

  constructor(
    private readonly root: string,
    /** Where every child's output goes: a pretty printer on a terminal, plain JSON lines otherwise. */
    private readonly sink: Writable,
    private readonly onUnexpectedExit: (name: string, how: string) => void,
  ) {}

  /** Starts a process; a transient one (a job that ends) may exit without stopping the stack. */
  start(spec: ProcessSpec, options: { transient?: boolean } = {}): Supervised {
    const child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", path.join(this.root, spec.entry), ...spec.args], {
      cwd: this.root,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // end: false — one child ending must not close the shared terminal stream.
    child.stdout?.pipe(this.sink, { end: false });
    child.stderr?.pipe(this.sink, { end: false });
    const exited = new Promise<string>((resolve) => {
      child.once("exit", (code, signal) => resolve(signal ?? String(code)));
    });
    const supervised = { spec, child, exited };
    this.running.push(supervised);
    void exited.then((how) => {
      if (!this.stopping && !(options.transient && how === "0")) this.onUnexpectedExit(spec.name, how);
    });
    return supervised;
  }

  /** Waits until the process answers /readyz, or fails when it exits or the time runs out. */
  async ready(p: Supervised, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    let gone = false;
    void p.exited.then(() => {
      gone = true;
    });
    while (Date.now() < until && !gone) {
      try {
        const res = await fetch(`http://127.0.0.1:${p.spec.readyPort}/readyz`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(gone ? `${p.spec.name} exited while starting (see its log above)` : `${p.spec.name} was not ready within ${timeoutMs / 1000} s`);
  }

  /** Stops every process, newest first: SIGTERM (graceful drain), SIGKILL after the grace period. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const p of [...this.running].reverse()) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      p.child.kill("SIGTERM");
      const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
      await p.exited;
      clearTimeout(timer);
    }
  }
}
