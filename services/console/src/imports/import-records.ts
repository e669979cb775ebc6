import { sql } from "kysely";
import type { ConsoleDb } from "../db.js";
import type { ImportFinished, ImportStarted } from "./import-events.js";
import type { ImportJob } from "./import-jobs.js";

const TYPES = ["ImportStarted", "ImportFinished"] as const;

interface Row {
  type: string;
  payload: unknown;
  occurred_at: Date;
}

/**
 * Imports as their events tell them: those of an earlier run of the console (the jobs in memory
 * are this run's). Their problems were not recorded, only how many there were; one started and
 * never finished was cut off when the console stopped.
 */
function fromEvents(rows: readonly Row[]): ImportJob[] {
  const byId = new Map<string, { started?: Row; finished?: Row }>();
  for (const r of rows) {
    const id = (r.payload as { importId?: string }).importId;
    if (!id) continue;
    const entry = byId.get(id) ?? {};
    if (r.type === "ImportStarted") entry.started = r;
    else entry.finished = r;
    byId.set(id, entry);
  }
  const jobs: ImportJob[] = [];
  for (const [id, { started, finished }] of byId) {
    if (!started) continue;
    const s = started.payload as ImportStarted["data"];
    const f = finished?.payload as ImportFinished["data"] | undefined;
    jobs.push({
      id,
      state: f?.outcome ?? "failed",
      staff: s.staff,
      role: s.role,
      kind: s.kind,
      dryRun: s.dryRun,
      fileName: s.fileName,
      size: s.size,
      startedAt: started.occurred_at,
      finishedAt: finished?.occurred_at ?? null,
      progress: null,
      records: f ? f.records : null,
      summary: f && f.sections.length > 0 ? f.sections : null,
      skippedLoans: [],
      problems: [],
      problemCount: f?.problems ?? 0,
      error: f ? (f.detail ?? null) : "the console stopped before this import ended: run it again",
    });
  }
  return jobs;
}

/** The last `limit` imports recorded, newest first. */
export async function recordedImports(db: ConsoleDb, limit: number): Promise<ImportJob[]> {
  // Each import is two events at most: twice the rows covers `limit` imports.
  const rows = await db
    .selectFrom("events")
    .select(["type", "payload", "occurred_at"])
    .where("type", "in", TYPES)
    .orderBy("global_position", "desc")
    .limit(limit * 2)
    .execute();
  return fromEvents(rows);
}

/** One recorded import, or undefined. */
export async function recordedImport(db: ConsoleDb, id: string): Promise<ImportJob | undefined> {
  const rows = await db
    .selectFrom("events")
    .select(["type", "payload", "occurred_at"])
    .where("type", "in", TYPES)
    .where(sql<string>`payload->>'importId'`, "=", id)
    .execute();
  return fromEvents(rows)[0];
}
