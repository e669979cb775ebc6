import { mkdir, mkdtemp, readdir, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { uploadName } from "../routes/import.routes.js";
import { receiveUpload, removeLeftUploads, UploadBrokenError, UploadTooLargeError, uploadDir } from "./import-upload.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "console-upload-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

describe("receiving an upload", () => {
  it("writes the body to the file as it comes and answers its size", async () => {
    expect(await receiveUpload(chunks("institution,barcode\n", "MAIN,I1\n"), join(dir, "items.csv"), 1024)).toBe(28);
    expect(await readFile(join(dir, "items.csv"), "utf8")).toBe("institution,barcode\nMAIN,I1\n");
  });

  it("stops at the limit even when no length was declared (a chunked upload)", async () => {
    await expect(receiveUpload(chunks("x".repeat(600), "x".repeat(600)), join(dir, "big.json"), 1024)).rejects.toBeInstanceOf(UploadTooLargeError);
  });

  it("gives up an upload that stops sending without hanging up", async () => {
    const body = new Readable({ read() {} });
    body.push("institution,barcode\n");
    const error = await receiveUpload(body, join(dir, "stalled.csv"), 1024, undefined, 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadBrokenError);
    expect((error as Error).message).toMatch(/nothing arrived/);
  });

  it("removes uploads a dead console left behind, but not a recent one another console may be receiving", async () => {
    const old = uploadDir(dir, "old");
    const fresh = uploadDir(dir, "fresh");
    await Promise.all([mkdir(old), mkdir(fresh), mkdir(join(dir, "unrelated"))]);
    const dayAgo = new Date(Date.now() - 24 * 3_600_000);
    await utimes(old, dayAgo, dayAgo);
    expect(await removeLeftUploads(dir, 6 * 3_600_000)).toEqual(["circulate-import-old"]);
    expect((await readdir(dir)).sort()).toEqual(["circulate-import-fresh", "unrelated"]);
  });

  it("refuses a declared length over the limit before reading a byte", async () => {
    const body = chunks("{}");
    await expect(receiveUpload(body, join(dir, "a.json"), 1024, "4096")).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(body.readableDidRead).toBe(false);
  });

  it("refuses an empty body, and never writes over an existing file", async () => {
    await expect(receiveUpload(chunks(), join(dir, "empty.csv"), 1024)).rejects.toBeInstanceOf(UploadBrokenError);
    await expect(receiveUpload(chunks("again"), join(dir, "empty.csv"), 1024)).rejects.toBeInstanceOf(UploadBrokenError);
  });
});

describe("the name an upload is kept under", () => {
  it("keeps a plain base name, replaces other characters and never makes a hidden or outside path", () => {
    expect(uploadName("new items.csv", "items-csv")).toBe("new_items.csv");
    expect(uploadName("../../etc/passwd", "json")).toBe("passwd");
    expect(uploadName(".document.json", "json")).toBe("document.json");
    expect(uploadName(undefined, "patrons-csv")).toBe("patrons.csv");
    expect(uploadName("..", "items-csv")).toBe("items.csv");
  });
});
