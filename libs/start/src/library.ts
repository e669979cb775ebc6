import { type Namespace, OWN_NAMESPACE } from "./plan.js";

/** The demo's own databases and NATS corner, apart from the services' defaults (a user's library). */
export const DEMO_NAMESPACE: Namespace = { databasePrefix: "circulate_demo_", subjectPrefix: "demo", streamPrefix: "DEMO" };
export const DEMO_DIRECTORY = "infra/demo";

/** Which library `pnpm start` presents, where it lives, and whether it is wiped first. */
export interface LibraryChoice {
  /** `demo`: infra/demo; `own`: the user's, in the services' default databases and streams. */
  readonly kind: "demo" | "own";
  /** What to import once the services are up; null = nothing (already loaded). */
  readonly importFrom: string | null;
  readonly namespace: Namespace;
  /** Drop the namespace's databases and streams before starting: only ever the demo's. */
  readonly reset: boolean;
}

export interface StartFlags {
  readonly library?: string | undefined;
  readonly noDemo: boolean;
  readonly keep: boolean;
}

/** Flags or variables that make no sense, every one named: said to the user, nothing is started. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(list.join("; "));
    this.problems = list;
  }
}

function keepFromEnv(value: string | undefined, problems: string[]): boolean {
  if (value === undefined || value === "") return false;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  problems.push(`CIRCULATE_KEEP_DEMO must be true or false, not ${JSON.stringify(value)}`);
  return false;
}

/**
 * The demo is presented as documented on every start: it has databases and
 * streams of its own, reset first unless kept (`--keep`,
 * `CIRCULATE_KEEP_DEMO=true`). A user's library (`--library FILE|DIR`, or
 * `--no-demo` for one loaded before) lives in the services' defaults and is
 * never reset: no flag or variable asks for that.
 */
export function chooseLibrary(flags: StartFlags, env: NodeJS.ProcessEnv): LibraryChoice {
  const problems: string[] = [];
  const keepEnv = keepFromEnv(env.CIRCULATE_KEEP_DEMO, problems);
  if (flags.library !== undefined && flags.noDemo) problems.push("--library and --no-demo exclude each other: --library loads your library, --no-demo loads none");
  if (flags.library === "") problems.push("--library needs a JSON file or a directory (see docs/import.md)");
  const own = flags.library !== undefined || flags.noDemo;
  if (own && flags.keep) problems.push("--keep is for the demo; your own library is never reset");
  if (problems.length > 0) throw new UsageError(problems);
  if (own) return { kind: "own", importFrom: flags.library ?? null, namespace: OWN_NAMESPACE, reset: false };
  return { kind: "demo", importFrom: DEMO_DIRECTORY, namespace: DEMO_NAMESPACE, reset: !(flags.keep || keepEnv) };
}
