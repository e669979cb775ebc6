import { Readable } from "node:stream";
import type { CliIo } from "../../src/cli.js";

/** In-memory process streams for runCli. */
export function memoryIo(stdin: string[] = [], env: Record<string, string | undefined> = {}): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdin: Readable.from(stdin),
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
      once: () => undefined,
    },
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    },
    env: { SIP2_TZ: "Europe/Oslo", ...env },
    out: () => out,
    err: () => err,
  };
}
