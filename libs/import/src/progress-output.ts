/**
 * How the command shows progress on stderr: on a terminal, one line rewritten
 * in place; in a log (CI, a file), a plain line at most every few seconds, so
 * a quick import prints nothing and a long one a line now and then, and the
 * end of each section that took a second or more.
 */
import { formatProgress, type ImportProgress } from "./progress.js";

/** Seconds between lines in a log. */
export const LOG_INTERVAL_MS = 5000;

export interface ProgressOutput {
  show(progress: ImportProgress): void;
  /** Ends a line left open on a terminal (before the summary or an error). */
  end(): void;
}

export function progressOutput(out: { write(chunk: string): unknown; isTTY?: boolean }, now: () => number = () => performance.now()): ProgressOutput {
  if (out.isTTY) {
    let open = false;
    return {
      show(p) {
        // \x1b[K clears what a longer previous line left on the right.
        out.write(`\r${formatProgress(p)}\x1b[K${p.finished ? "\n" : ""}`);
        open = !p.finished;
      },
      end() {
        if (open) out.write("\n");
        open = false;
      },
    };
  }
  let last = now();
  const shown = new Set<string>();
  return {
    show(p) {
      const key = `${p.phase} ${p.section}`;
      const t = now();
      // A section's end is printed when the section printed before or took a second or more; a quick import prints nothing.
      if (p.finished ? !shown.has(key) && p.elapsedSeconds < 1 : t - last < LOG_INTERVAL_MS) return;
      out.write(`${formatProgress(p)}\n`);
      shown.add(key);
      last = t;
    },
    end() {},
  };
}
