/**
 * Reads configuration from the environment and fails fast, naming every missing
 * or invalid variable at once rather than the first one only.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

type Parse<T> = (raw: string) => T;

export interface EnvReader {
  string(name: string, fallback?: string): string;
  int(name: string, fallback?: number, range?: { min?: number; max?: number }): number;
  bool(name: string, fallback?: boolean): boolean;
  oneOf<const T extends string>(name: string, values: readonly T[], fallback?: T): T;
  optional(name: string): string | undefined;
  /** Throws a ConfigError listing every problem met so far. */
  done(): void;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvReader {
  const problems: string[] = [];
  function get<T>(name: string, parse: Parse<T>, fallback: T | undefined, placeholder: T): T {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      if (fallback !== undefined) return fallback;
      problems.push(`${name} is required`);
      return placeholder;
    }
    try {
      return parse(raw);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
      return placeholder;
    }
  }
  return {
    string: (name, fallback) => get(name, (s) => s, fallback, ""),
    int: (name, fallback, range = {}) =>
      get(
        name,
        (s) => {
          if (!/^-?\d+$/.test(s.trim())) throw new Error(`"${s}" is not an integer`);
          const n = Number.parseInt(s, 10);
          if (range.min !== undefined && n < range.min) throw new Error(`${n} is below ${range.min}`);
          if (range.max !== undefined && n > range.max) throw new Error(`${n} is above ${range.max}`);
          return n;
        },
        fallback,
        0,
      ),
    bool: (name, fallback) =>
      get(
        name,
        (s) => {
          const v = s.trim().toLowerCase();
          if (["1", "true", "yes", "on"].includes(v)) return true;
          if (["0", "false", "no", "off"].includes(v)) return false;
          throw new Error(`"${s}" is not a boolean`);
        },
        fallback,
        false,
      ),
    oneOf: (name, values, fallback) =>
      get(
        name,
        (s) => {
          const v = values.find((x) => x === s.trim());
          if (v === undefined) throw new Error(`"${s}" is not one of ${values.join(", ")}`);
          return v;
        },
        fallback,
        values[0]!,
      ),
    optional: (name) => (env[name] === "" ? undefined : env[name]),
    done: () => {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
}
