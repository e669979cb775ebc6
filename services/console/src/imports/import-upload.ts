import { createWriteStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** The upload is larger than the console takes (CONSOLE_IMPORT_MAX_BYTES). */
export class UploadTooLargeError extends Error {
  override readonly name = "UploadTooLargeError";
  constructor(readonly limit: number) {
    super(`the upload is larger than ${limit.toLocaleString("en-US")} bytes (CONSOLE_IMPORT_MAX_BYTES)`);
  }
}

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
export async function receiveUpload(body: Readable, path: string, limit: number, declaredLength?: string): Promise<number> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw new UploadTooLargeError(limit);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      done(size > limit ? new UploadTooLargeError(limit) : null, chunk);
    },
  });
  try {
    // `wx`: the path is new, so nothing else can be overwritten through it.
    await pipeline(body, counter, createWriteStream(path, { flags: "wx" }));
  } catch (err) {
    if (err instanceof UploadTooLargeError) throw err;
    throw new UploadBrokenError(`the upload did not arrive whole: ${(err as Error).message}`);
  }
  if (size === 0) throw new UploadBrokenError("the upload is empty: send the file as the request's body");
  return size;
}
