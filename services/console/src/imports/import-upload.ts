import { createWriteStream } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** The upload is larger than the console takes (CONSOLE_IMPORT_MAX_BYTES). */
export class UploadTooLargeError extends Error {
  override readonly name = "UploadTooLargeError";
  constructor(readonly limit: number) {
    super(`the upload is larger than ${limit.toLocaleString("en-US")} bytes (CONSOLE_IMPORT_MAX_BYTES)`);
  }
}

/** How long an upload may send nothing before it is given up. */
export const UPLOAD_IDLE_MS = 60_000;

/** The upload was empty, or the client went away before it ended. */
export class UploadBrokenError extends Error {
  override readonly name = "UploadBrokenError";
}

/**
 * Copies a request's body to `path` as it arrives, never holding it whole,
 * and counts it: past `limit` bytes it stops with {@link UploadTooLargeError}
 * (a declared Content-Length over the limit is refused before a byte is
 * read). Answers the number of bytes written. The file is the caller's to
 * delete, whatever happened.
 */
export async function receiveUpload(body: Readable, path: string, limit: number, declaredLength?: string, idleMs = UPLOAD_IDLE_MS): Promise<number> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw new UploadTooLargeError(limit);
  let size = 0;
  // A client that stops sending without hanging up would hold the one import slot for good.
  const stalled = new AbortController();
  const idle = setTimeout(() => stalled.abort(), idleMs);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      idle.refresh();
      size += chunk.length;
      done(size > limit ? new UploadTooLargeError(limit) : null, chunk);
    },
  });
  try {
    // `wx`: the path is new, so nothing else can be overwritten through it.
    await pipeline(body, counter, createWriteStream(path, { flags: "wx" }), { signal: stalled.signal });
  } catch (err) {
    if (err instanceof UploadTooLargeError) throw err;
    if (stalled.signal.aborted) throw new UploadBrokenError(`the upload stopped: nothing arrived for ${idleMs / 1000} s`);
    throw new UploadBrokenError(`the upload did not arrive whole: ${(err as Error).message}`);
  } finally {
    clearTimeout(idle);
  }
  if (size === 0) throw new UploadBrokenError("the upload is empty: send the file as the request's body");
  return size;
}

/** Where an import's upload is kept while it runs: `<workDir>/circulate-import-<id>`. */
export const uploadDir = (workDir: string, id: string) => join(workDir, `${UPLOAD_PREFIX}${id}`);
const UPLOAD_PREFIX = "circulate-import-";

/**
 * Removes uploads a console that died left behind (killed, out of memory):
 * in a pod, `/tmp` outlives the container, and two forgotten 1 GiB uploads
 * would fill it. Only those older than `olderThanMs`: another console on the
 * same machine (a developer's, a test's) may be receiving one now.
 */
export async function removeLeftUploads(workDir: string, olderThanMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(workDir).catch(() => [] as string[])) {
    if (!name.startsWith(UPLOAD_PREFIX)) continue;
    const path = join(workDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory() || now - info.mtimeMs < olderThanMs) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
