// Runs the buf CLI that @bufbuild/buf installed (no downloads), from proto/,
// with this package's node_modules/.bin on PATH so buf.gen.yaml's local
// plugin "protoc-gen-ts_proto" resolves to the pinned ts-proto.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const protoDir = path.resolve(packageDir, "../../proto");
const binDir = path.join(packageDir, "node_modules", ".bin");

/** Runs `buf <args>` in proto/; returns the exit status (output is inherited). */
export function buf(args) {
  const result = spawnSync(path.join(binDir, "buf"), args, {
    cwd: protoDir,
    stdio: "inherit",
    env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}
