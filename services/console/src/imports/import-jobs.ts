import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileSource, type ImportProgress, type ImportSource, InputFileError, InvalidImportError, MAX_KEPT_PROBLEMS, runImport, type ServiceAddresses } from "@circulate/import";
import type { ChannelCredentials } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { Role } from "../db.js";
import { type ImportEvent, type ImportKind, type ImportOutcome, type SectionCounts, summaryRows } from "./import-events.js";
import { receiveUpload, removeLeftUploads, uploadDir } from "./import-upload.js";

/** `receiving` the upload, then the importer's two phases, then how it ended. */
export type ImportState = "receiving" | "validating" | "loading" | ImportOutcome;

export interface ImportJob {
  readonly id: string;
  state: ImportState;
  readonly staff: string;
  readonly role: Role;
  readonly kind: ImportKind;
  readonly dryRun: boolean;
  readonly fileName: string;
  /** Bytes received. */
  size: number;
  readonly startedAt: Date;
  finishedAt: Date | null;
  /** The importer's last report. */
  progress: ImportProgress | null;
  /** Records in the input (all sections), once validated. */
  records: number | null;
  /** The services' counts, once loaded (null for a check only). */
  summary: SectionCounts[] | null;
  skippedLoans: { item: string; patron: string; reason: string }[];
  /** The first {@link MAX_KEPT_PROBLEMS} problems of the input, each naming its record. */
  problems: string[];
  /** Every problem found, kept or not. */
  problemCount: number;
  /** Why a failed import failed (a service call); what was loaded before it stays. */
  error: string | null;
}

export interface ImportRequest {
  readonly staff: string;
  readonly role: Role;
  readonly kind: ImportKind;
  readonly dryRun: boolean;
  readonly fileName: string;
  /** IANA zone of institutions the input does not define (dates of patrons of an existing institution). */
  readonly timeZone?: string | undefined;
}

export interface ImportJobsOptions {
  readonly addresses: ServiceAddresses;
  readonly credentials?: ChannelCredentials;
  /** Uploads larger than this are refused. */
  readonly maxBytes: number;
  /** Records ImportStarted and ImportFinished (the console's audit log). */
  readonly record: (event: ImportEvent) => Promise<void>;
  readonly logger: Logger;
  /** Where uploads are kept while they are imported; default the system's temporary directory. */
  readonly workDir?: string;
}

/** An import is running; one runs at a time. */
export class ImportBusyError extends Error {
  override readonly name = "ImportBusyError";
  constructor(readonly running: string) {
    super(`import ${running} is running; one import runs at a time`);
  }
}

/** An upload directory this old at start belongs to no running import: the longest seen took minutes. */
const LEFT_UPLOAD_AGE_MS = 6 * 3_600_000;

/** Imports kept in memory for the list (the events keep every one). */
const KEPT_JOBS = 100;

/**
 * Imports started from the console, one at a time, in this process: the
 * upload goes to a file of its own, `runImport` reads it (twice: it streams),
 * the job follows its progress and problems, and the file is deleted at the
 * end, whatever the end.
 */
export class ImportJobs {
  readonly #jobs: ImportJob[] = [];
  #running: { job: ImportJob; ended: Promise<void> } | undefined;

  constructor(private readonly options: ImportJobsOptions) {}

  /** Clears what a console that died left in the work directory (see `removeLeftUploads`). */
  async sweep(): Promise<void> {
    const removed = await removeLeftUploads(this.options.workDir ?? tmpdir(), LEFT_UPLOAD_AGE_MS);
    if (removed.length > 0) this.options.logger.warn({ removed }, "removed uploads a previous console left behind");
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** Newest first. */
  list(): readonly ImportJob[] {
    return this.#jobs;
  }

  get(id: string): ImportJob | undefined {
    return this.#jobs.find((j) => j.id === id);
  }

  /**
   * Receives the upload, records ImportStarted and starts the import without
   * waiting for it. Throws {@link ImportBusyError} before reading a byte while
   * another runs; an upload that fails (too large, cut off) leaves nothing.
   */
  async start(request: ImportRequest, body: Readable, declaredLength?: string): Promise<ImportJob> {
    if (this.#running) throw new ImportBusyError(this.#running.job.id);
    const job: ImportJob = {
      id: randomUUID(),
      state: "receiving",
      staff: request.staff,
      role: request.role,
      kind: request.kind,
      dryRun: request.dryRun,
      fileName: request.fileName,
      size: 0,
      startedAt: new Date(),
      finishedAt: null,
      progress: null,
      records: null,
      summary: null,
      skippedLoans: [],
      problems: [],
      problemCount: 0,
      error: null,
    };
    let release: () => void = () => {};
    this.#running = { job, ended: new Promise((resolve) => (release = resolve)) };
    this.#jobs.unshift(job);
    this.#jobs.splice(KEPT_JOBS);
    const dir = uploadDir(this.options.workDir ?? tmpdir(), job.id);
    try {
      await mkdir(dir, { mode: 0o700 });
      job.size = await receiveUpload(body, join(dir, job.fileName), this.options.maxBytes, declaredLength);
      await this.options.record({
        type: "ImportStarted",
        data: { importId: job.id, staff: job.staff, role: job.role, fileName: job.fileName, kind: job.kind, dryRun: job.dryRun, size: job.size },
      });
    } catch (err) {
      this.#jobs.splice(this.#jobs.indexOf(job), 1);
      this.#running = undefined;
      release();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    job.state = "validating";
    this.options.logger.info({ importId: job.id, staff: job.staff, kind: job.kind, dryRun: job.dryRun, size: job.size }, "import started");
    void this.#run(job, dir, request.timeZone).finally(() => {
      this.#running = undefined;
      release();
    });
    return job;
  }

  /** Resolves when no import is running (a running one may take minutes: callers bound their wait). */
  async idle(): Promise<void> {
    await this.#running?.ended;
  }

  /**
   * When the console stops: a short import is let finish (its event recorded); a long one is
   * cut off with the process. Running it again is safe: an import changes only what differs.
   */
  async stop(graceMs = 5_000): Promise<void> {
    const running = this.#running;
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
    const ended = await Promise.race([running.ended, late]);
    clearTimeout(timer);
    if (ended === "late") this.options.logger.warn({ importId: running.job.id, state: running.job.state }, "the console stops during an import: run it again");
  }

  async #run(job: ImportJob, dir: string, timeZone: string | undefined): Promise<void> {
    let outcome: ImportOutcome = "failed";
    try {
      const result = await runImport(await sourceOf(job, dir), {
        addresses: this.options.addresses,
        dryRun: job.dryRun,
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
        ...(timeZone ? { defaultTimeZone: timeZone } : {}),
        onProgress: (p) => {
          job.progress = p;
          job.state = p.phase;
        },
        onProblem: (p) => {
          job.problemCount++;
          if (job.problems.length < MAX_KEPT_PROBLEMS) job.problems.push(p);
        },
      });
      job.records = result.records;
      if (result.summary) {
        job.summary = summaryRows(result.summary);
        job.skippedLoans = result.summary.loans.skippedLoans.slice(0, MAX_KEPT_PROBLEMS);
      }
      outcome = "done";
    } catch (err) {
      if (err instanceof InvalidImportError || err instanceof InputFileError) {
        outcome = "invalid";
        // Problems of the document's shape come with the error, not one by one; the temporary path means nothing to staff.
        const found = err instanceof InvalidImportError ? err.problems : [err.message.replaceAll(`${dir}/`, "")];
        if (job.problems.length === 0) job.problems.push(...found);
        job.problemCount = Math.max(job.problemCount, err instanceof InvalidImportError ? err.total : 1);
      } else {
        job.error = (err as Error).message;
        this.options.logger.warn({ err, importId: job.id }, "import failed");
      }
    }
    await rm(dir, { recursive: true, force: true }).catch((err) => this.options.logger.warn({ err, importId: job.id }, "temporary import file not deleted"));
    await this.options
      .record({
        type: "ImportFinished",
        data: {
          importId: job.id,
          staff: job.staff,
          role: job.role,
          fileName: job.fileName,
          kind: job.kind,
          dryRun: job.dryRun,
          outcome,
          records: job.records ?? 0,
          sections: job.summary ?? [],
          problems: job.problemCount,
          ...(job.error ? { detail: job.error } : {}),
        },
      })
      .catch((err) => this.options.logger.error({ err, importId: job.id }, "ImportFinished not recorded"));
    // Last: a job seen ended has its event recorded and its file deleted.
    job.finishedAt = new Date();
    job.state = outcome;
    this.options.logger.info({ importId: job.id, outcome, records: job.records, problems: job.problemCount }, "import finished");
  }
}

/** The upload as the importer reads it: a CSV file goes with an empty document (its institutions are loaded already). */
async function sourceOf(job: ImportJob, dir: string): Promise<ImportSource> {
  const upload = join(dir, job.fileName);
  if (job.kind === "json") return fileSource({ document: upload });
  const document = join(dir, ".document.json");
  await writeFile(document, "{}");
  return fileSource(job.kind === "patrons-csv" ? { document, patronsCsv: upload } : { document, itemsCsv: upload });
}
