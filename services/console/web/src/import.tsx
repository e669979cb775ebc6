import { useEffect, useState } from "preact/hooks";
import { ApiFailure, api, enc, explain, type Me, when } from "./api.js";
import "./import.css";

type Kind = "json" | "patrons-csv" | "items-csv";
interface Progress {
  phase: "validating" | "loading";
  section: string;
  done: number;
  total: number | null;
  fraction: number | null;
  recordsPerSecond: number;
  secondsLeft: number | null;
  finished: boolean;
}
interface ImportView {
  id: string;
  state: "receiving" | "validating" | "loading" | "done" | "invalid" | "failed";
  staff: string;
  kind: Kind;
  dryRun: boolean;
  fileName: string;
  size: number;
  startedAt: string;
  finishedAt: string | null;
  progress: Progress | null;
  records: number | null;
  problemCount: number;
  error: string | null;
  summary?: { section: string; created: number; updated: number; unchanged: number; skipped: number }[] | null;
  skippedLoans?: { item: string; patron: string; reason: string }[];
  problems?: string[];
}

const KINDS: Record<Kind, string> = { json: "Library (JSON)", "patrons-csv": "Patrons (CSV)", "items-csv": "Items (CSV)" };
const ENDED = new Set(["done", "invalid", "failed"]);
const count = (n: number) => n.toLocaleString("en-US");

/** `45s`, `1m 32s`, `2h 05m`, as the import command prints them. */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The kind a file's name suggests; staff may still choose another. */
const kindOf = (name: string, current: Kind): Kind =>
  name.endsWith(".json") ? "json" : /patron/i.test(name) ? "patrons-csv" : /item/i.test(name) ? "items-csv" : current;

/** A problem as the importer words it, `items.csv row 5 (MAIN/B9): title is required`, split into the record and what is wrong. */
function splitProblem(p: string): [string, string] {
  const at = p.indexOf("): ");
  if (at >= 0) return [p.slice(0, at + 1), p.slice(at + 3)];
  const colon = p.indexOf(": ");
  return colon >= 0 ? [p.slice(0, colon), p.slice(colon + 2)] : ["", p];
}

/** Sends the file as the request's body (never read whole into the page), with what it is. */
async function upload(me: Me, file: File, kind: Kind, dryRun: boolean, timeZone: string): Promise<ImportView> {
  const query = new URLSearchParams({ format: kind, dryRun: String(dryRun), name: file.name, ...(timeZone ? { timeZone } : {}) });
  const res = await fetch(`/api/imports?${query}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json", "content-type": kind === "json" ? "application/json" : "text/csv", "x-csrf-token": me.csrfToken },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as ImportView & { error?: string; message?: string };
  if (!res.ok) throw new ApiFailure(res.status, body.error ?? "error", body.message ?? res.statusText);
  return body;
}

/** One import, followed every second until it has ended. */
function useImport(id: string | undefined): ImportView | undefined {
  const [view, setView] = useState<ImportView>();
  useEffect(() => {
    setView(undefined);
    if (!id) return;
    let timer: number | undefined;
    let stopped = false;
    const poll = async () => {
      const v = await api<ImportView>("GET", `/api/imports/${enc(id)}`).catch(() => undefined);
      if (stopped) return;
      if (v) setView(v);
      if (!v || !ENDED.has(v.state)) timer = window.setTimeout(poll, 1_000);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [id]);
  return view;
}

function ProgressBar({ view }: { view: ImportView }) {
  const p = view.progress;
  const fraction = ENDED.has(view.state) ? 1 : (p?.fraction ?? 0);
  const what = view.state === "receiving" ? "receiving the file" : p ? (p.phase === "validating" ? "checking" : `loading ${p.section}`) : view.state;
  return (
    <div class="import-progress" data-testid="import-progress">
      <div class="bar">
        <div class={`fill ${view.state}`} style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      {!ENDED.has(view.state) && (
        <p class="muted">
          {what}
          {p && (p.total !== null ? `: ${count(p.done)} of ${count(p.total)}` : `: ${count(p.done)} records`)}
          {p && `, ${count(Math.round(p.recordsPerSecond))} records/s`}
          {p?.secondsLeft != null && `, ${duration(p.secondsLeft)} left`}
        </p>
      )}
    </div>
  );
}

function Outcome({ view }: { view: ImportView }) {
  const verdict =
    view.state === "done"
      ? view.dryRun
        ? `Valid: ${count(view.records ?? 0)} records, nothing sent.`
        : `Imported ${count(view.records ?? 0)} records.`
      : view.state === "invalid"
        ? `Invalid: ${count(view.problemCount)} problem${view.problemCount === 1 ? "" : "s"}, nothing sent.`
        : view.state === "failed"
          ? `Failed: ${view.error ?? "unknown error"}. What was sent before stays; fix the cause and import again.`
          : "";
  return (
    <section class="card" data-testid="import" data-state={view.state}>
      <h2>
        {view.fileName} <span class={`badge ${view.state}`}>{view.state}</span>
      </h2>
      <p class="muted">
        {KINDS[view.kind]}
        {view.dryRun ? ", check only" : ""} · {count(view.size)} bytes · started by {view.staff} at {when(view.startedAt)}
      </p>
      <ProgressBar view={view} />
      {verdict && (
        <p role="status" class={view.state === "done" ? "said" : "problem"}>
          {verdict}
        </p>
      )}
      {view.summary && (
        <table class="summary">
          <thead>
            <tr>
              <th>Section</th>
              <th class="num">Created</th>
              <th class="num">Updated</th>
              <th class="num">Unchanged</th>
              <th class="num">Skipped</th>
            </tr>
          </thead>
          <tbody>
            {view.summary.map((s) => (
              <tr key={s.section} data-section={s.section}>
                <td>{s.section}</td>
                <td class="num">{count(s.created)}</td>
                <td class="num">{count(s.updated)}</td>
                <td class="num">{count(s.unchanged)}</td>
                <td class="num">{count(s.skipped)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.skippedLoans && view.skippedLoans.length > 0 && (
        <ul>
          {view.skippedLoans.map((l) => (
            <li key={l.item}>{`loan of ${l.item} to ${l.patron} skipped: ${l.reason}`}</li>
          ))}
        </ul>
      )}
      {view.problems && view.problems.length > 0 && (
        <table class="problems" data-testid="problems">
          <thead>
            <tr>
              <th>Record</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {view.problems.map((p, i) => {
              const [record, message] = splitProblem(p);
              return (
                <tr key={i}>
                  <td>{record}</td>
                  <td>{message}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {view.problems && view.problemCount > view.problems.length && <p class="muted">… and {count(view.problemCount - view.problems.length)} more.</p>}
    </section>
  );
}

/** The Import tab (administrators): send a file, check it or load it, and follow it. */
export function Import({ me, id }: { me: Me; id: string | undefined }) {
  const [kind, setKind] = useState<Kind>("json");
  const [file, setFile] = useState<File>();
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [problem, setProblem] = useState("");
  const [recent, setRecent] = useState<ImportView[]>([]);
  const view = useImport(id);
  useEffect(() => {
    api<{ imports: ImportView[] }>("GET", "/api/imports").then((r) => setRecent(r.imports), () => undefined);
  }, [id, view?.state]);
  const start = async (dryRun: boolean) => {
    setProblem("");
    if (!file) return setProblem("Choose a file first.");
    try {
      const started = await upload(me, file, kind, dryRun, timeZone);
      location.hash = `#/import/${enc(started.id)}`;
    } catch (err) {
      setProblem(explain(err));
    }
  };
  return (
    <section>
      <h1>Import</h1>
      <form class="card import-form" data-testid="import-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          File
          <input
            type="file"
            name="file"
            accept=".json,.csv,application/json,text/csv"
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0];
              setFile(f);
              if (f) setKind(kindOf(f.name, kind));
            }}
          />
        </label>
        <label>
          What it holds
          <select name="kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Kind)}>
            {Object.entries(KINDS).map(([k, text]) => (
              <option key={k} value={k}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time zone of institutions not in the file
          <input name="timeZone" value={timeZone} onInput={(e) => setTimeZone((e.currentTarget as HTMLInputElement).value.trim())} />
        </label>
        <div class="actions">
          <button type="button" onClick={() => void start(true)}>
            Check only
          </button>
          <button type="button" onClick={() => void start(false)}>
            Import
          </button>
        </div>
        {problem && <p class="problem">{problem}</p>}
      </form>
      {view && <Outcome view={view} />}
      {recent.length > 0 && (
        <table class="recent">
          <thead>
            <tr>
              <th>Started</th>
              <th>File</th>
              <th>Kind</th>
              <th>By</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`#/import/${enc(r.id)}`}>{when(r.startedAt)}</a>
                </td>
                <td>{r.fileName}</td>
                <td>{KINDS[r.kind] + (r.dryRun ? ", check only" : "")}</td>
                <td>{r.staff}</td>
                <td>
                  <span class={`badge ${r.state}`}>{r.state}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
