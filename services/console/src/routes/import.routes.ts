import { basename } from "node:path";
import type { FastifyReply } from "fastify";
import { ApiError, type ApiRoute, notFound, type SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { IMPORT_KINDS, type ImportKind } from "../imports/import-events.js";
import { ImportBusyError, type ImportJob } from "../imports/import-jobs.js";
import { recordedImport, recordedImports } from "../imports/import-records.js";
import { UploadBrokenError, UploadTooLargeError } from "../imports/import-upload.js";
import { bool, instant, int, nullable, object, role, str } from "../views/schemas.js";

const num = { type: "number" } as const;
const maybeNum = { type: ["number", "null"] } as const;
const maybeInt = { type: ["integer", "null"] } as const;

const progressSchema = object({
  phase: { type: "string", enum: ["validating", "loading"] },
  section: str,
  done: int,
  total: maybeInt,
  fraction: maybeNum,
  recordsPerSecond: num,
  secondsLeft: maybeNum,
  elapsedSeconds: num,
  finished: bool,
});

const briefProperties = {
  id: str,
  state: { type: "string", enum: ["receiving", "validating", "loading", "done", "invalid", "failed"] },
  staff: str,
  role,
  kind: { type: "string", enum: IMPORT_KINDS },
  dryRun: bool,
  fileName: str,
  size: int,
  startedAt: { type: "string", format: "date-time" },
  finishedAt: instant,
  progress: nullable(progressSchema),
  records: maybeInt,
  problemCount: int,
  error: { type: ["string", "null"] },
};
const briefSchema = object(briefProperties);
const importSchema = object({
  ...briefProperties,
  summary: nullable({ type: "array", items: object({ section: str, created: int, updated: int, unchanged: int, skipped: int }) }),
  skippedLoans: { type: "array", items: object({ item: str, patron: str, reason: str }) },
  problems: { type: "array", items: str },
});

const brief = (j: ImportJob) => ({
  id: j.id,
  state: j.state,
  staff: j.staff,
  role: j.role,
  kind: j.kind,
  dryRun: j.dryRun,
  fileName: j.fileName,
  size: j.size,
  startedAt: j.startedAt.toISOString(),
  finishedAt: j.finishedAt?.toISOString() ?? null,
  // Missing numbers (a total not yet known) are null, not absent: the page reads one shape.
  progress: j.progress && { ...j.progress, total: j.progress.total ?? null, fraction: j.progress.fraction ?? null, secondsLeft: j.progress.secondsLeft ?? null },
  records: j.records,
  problemCount: j.problemCount,
  error: j.error,
});
const full = (j: ImportJob) => ({ ...brief(j), summary: j.summary, skippedLoans: j.skippedLoans, problems: j.problems });

/** Imports listed at most. */
const LISTED = 100;

const DEFAULT_NAMES: Record<ImportKind, string> = { json: "library.json", "patrons-csv": "patrons.csv", "items-csv": "items.csv" };

/** The name the upload is kept (and its problems named) under: its base name, plain characters only, never hidden. */
export function uploadName(given: string | undefined, kind: ImportKind): string {
  const name = basename(given ?? "")
    .replace(/[^\w.-]/g, "_")
    .replace(/^\.+/, "")
    .slice(0, 120);
  return name === "" ? DEFAULT_NAMES[kind] : name;
}

/** Imports from the console, for administrators: upload and start, list, follow. */
export function importRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [
    {
      method: "POST",
      url: "/api/imports",
      access: "administrator",
      summary:
        "Start an import: the request's body is the file (a library JSON document, or a patrons or items CSV), streamed to disk; " +
        "answers 202 at once and the import runs in the console (one at a time: 409 with the running one's id)",
      tags: ["imports"],
      rawBody: true,
      schema: {
        querystring: object(
          {
            format: { type: "string", enum: IMPORT_KINDS },
            dryRun: { type: "boolean", default: false },
            name: { type: "string", maxLength: 255 },
            timeZone: { type: "string", minLength: 1, maxLength: 64 },
          },
          ["dryRun", "name", "timeZone"],
        ),
        response: { 202: importSchema, 409: object({ error: str, message: str, importId: str }) },
      },
      handler: async (req: SignedInRequest, reply: FastifyReply) => {
        const q = req.query as { format: ImportKind; dryRun: boolean; name?: string; timeZone?: string };
        const request = { staff: req.staff.staff, role: req.staff.role, kind: q.format, dryRun: q.dryRun, fileName: uploadName(q.name, q.format), timeZone: q.timeZone };
        try {
          const job = await deps.imports.start(request, req.raw, req.headers["content-length"]);
          return reply.status(202).header("location", `/api/imports/${job.id}`).send(full(job));
        } catch (err) {
          if (err instanceof ImportBusyError) return reply.status(409).send({ error: "conflict", message: err.message, importId: err.running });
          // The rest of a refused body is not read: the connection closes after the answer.
          if (err instanceof UploadTooLargeError) throw new ApiError(413, "too_large", err.message, { connection: "close" });
          if (err instanceof UploadBrokenError) throw new ApiError(400, "bad_request", err.message);
          throw err;
        }
      },
    },
    {
      method: "GET",
      url: "/api/imports",
      access: "administrator",
      summary: "The last 100 imports, newest first: this run's from memory, earlier ones from their events",
      tags: ["imports"],
      schema: { response: { 200: object({ imports: { type: "array", items: briefSchema } }) } },
      handler: async () => {
        const running = deps.imports.list();
        const known = new Set(running.map((j) => j.id));
        const earlier = (await recordedImports(deps.db, LISTED)).filter((j) => !known.has(j.id));
        const all = [...running, ...earlier].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
        return { imports: all.slice(0, LISTED).map(brief) };
      },
    },
    {
      method: "GET",
      url: "/api/imports/:id",
      access: "administrator",
      summary:
        "One import: its state and progress, the summary when loaded, and the first 1,000 problems of its file (with their count); " +
        "of an earlier run of the console, what its events recorded (the problems' count, not the problems)",
      tags: ["imports"],
      schema: {
        params: object({ id: { type: "string", minLength: 1, maxLength: 64 } }),
        response: { 200: importSchema },
      },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        const job = deps.imports.get(id) ?? (await recordedImport(deps.db, id));
        if (!job) throw notFound("import");
        return full(job);
      },
    },
  ];
}
