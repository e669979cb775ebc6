/**
 * Imports from the console against the real services on the demo library: a file with a bad
 * record is refused whole, a good one loads, one import runs at a time, and every upload's
 * temporary file is gone once its import has ended.
 */
import { request } from "node:http";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { AuditLog } from "../src/audit.js";
import { expect, it } from "vitest";
import { eventually, STAFF } from "./support/fixtures.js";
import type { ApiClient, Answer } from "./support/client.js";
import type { Suite } from "./support/suite.js";

interface ImportView {
  id: string;
  state: string;
  staff: string;
  fileName: string;
  size: number;
  records: number | null;
  progress: { phase: string; section: string; done: number; total: number | null; finished: boolean } | null;
  summary: { section: string; created: number; updated: number; unchanged: number; skipped: number }[] | null;
  problems: string[];
  problemCount: number;
}

const ENDED = ["done", "invalid", "failed"];

/** Sends a file as the body of POST /api/imports, as the page does. */
export async function upload(client: ApiClient, query: string, body: string | ReadableStream<Uint8Array>, contentType = "text/csv"): Promise<Answer> {
  const res = await fetch(`${client.baseUrl}/api/imports?${query}`, {
    method: "POST",
    headers: { "content-type": contentType, cookie: client.cookie, "x-csrf-token": client.csrf },
    body,
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

/** Follows an import until it has ended. */
export async function ended(client: ApiClient, id: string): Promise<ImportView> {
  return eventually(
    async () => (await client.send("GET", `/api/imports/${id}`)).body as ImportView,
    (v) => ENDED.includes(v.state),
    `import ${id} to end`,
  );
}

/** A check-only import of an empty document, ended: an id for the route table. */
export async function checkedImport(client: ApiClient): Promise<string> {
  const answer = await upload(client, "format=json&dryRun=true&name=empty.json", "{}", "application/json");
  expect(answer.status, answer.text).toBe(202);
  return (await ended(client, (answer.body as ImportView).id)).id;
}

const csv = (rows: string[]) => ["institution,barcode,title,itemType,location", ...rows].join("\n");
const items = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `MAIN,${prefix}${String(i).padStart(4, "0")},Imported title ${i},book,MAIN`);
const workFile = (id: string) => join(tmpdir(), `circulate-import-${id}`);

export function importTests(suite: Suite): void {
  const admin = async () => {
    const c = suite.client();
    await c.login(STAFF.administrator.name, STAFF.administrator.password);
    return c;
  };

  it("refuses an items CSV with one bad record: invalid, the problem names the record, nothing is created", async () => {
    const c = await admin();
    const file = csv([...items("BAD", 3), "MAIN,BAD9999,,book,MAIN"]);
    const started = await upload(c, "format=items-csv&name=new%20items.csv", file);
    expect(started.status, started.text).toBe(202);
    const view = await ended(c, (started.body as ImportView).id);
    expect(view).toMatchObject({ state: "invalid", fileName: "new_items.csv", size: file.length, problemCount: 1, summary: null });
    expect(view.problems).toEqual([expect.stringMatching(/^new_items\.csv row 5 \(MAIN\/BAD9999\): .*title/)]);
    expect((await c.send("GET", "/api/items/MAIN/BAD0000")).status).toBe(404);
    expect(existsSync(workFile(view.id))).toBe(false);
  });

  it("says what is wrong with a file that is not JSON, without the console's own paths", async () => {
    const c = await admin();
    const started = await upload(c, "format=json&name=library.json", '{"items": [', "application/json");
    const view = await ended(c, (started.body as ImportView).id);
    expect(view.state).toBe("invalid");
    expect(view.problems[0]).toMatch(/^library\.json is not JSON/);
    expect(view.problems[0]).not.toContain(tmpdir());
  });

  it("checks 200 items without sending them, then loads them: created 200, each one at the item API, and both recorded with who started them", async () => {
    const c = await admin();
    const file = csv(items("NEW", 200));
    const check = await ended(c, ((await upload(c, "format=items-csv&dryRun=true&name=items.csv", file)).body as ImportView).id);
    expect(check).toMatchObject({ state: "done", records: 200, summary: null, problemCount: 0 });
    expect((await c.send("GET", "/api/items/MAIN/NEW0000")).status).toBe(404);

    const started = await upload(c, "format=items-csv&name=items.csv", file);
    expect(started.status).toBe(202);
    expect(started.headers.get("location")).toBe(`/api/imports/${(started.body as ImportView).id}`);
    const view = await ended(c, (started.body as ImportView).id);
    expect(view).toMatchObject({ state: "done", staff: STAFF.administrator.name, records: 200, problemCount: 0 });
    expect(view.summary?.find((s) => s.section === "items")).toEqual({ section: "items", created: 200, updated: 0, unchanged: 0, skipped: 0 });
    expect(view.progress).toMatchObject({ phase: "loading", section: "items", done: 200, total: 200, finished: true });
    const item = await c.send("GET", "/api/items/MAIN/NEW0199");
    expect([item.status, (item.body as { item: { title: string } }).item.title]).toEqual([200, "Imported title 199"]);
    expect(existsSync(workFile(view.id))).toBe(false);

    const list = (await c.send("GET", "/api/imports")).body as { imports: ImportView[] };
    expect(list.imports[0]?.id).toBe(view.id);
    // Recorded as the console's other staff events are: in the staff member's stream, with the counts.
    const events = await suite
      .stack()
      .console.db.selectFrom("events")
      .select(["type", "stream_id", "payload"])
      .where(sql<string>`payload->>'importId'`, "=", view.id)
      .orderBy("global_position")
      .execute();
    expect(events.map((e) => [e.type, e.stream_id])).toEqual([
      ["ImportStarted", `staff-${STAFF.administrator.name}`],
      ["ImportFinished", `staff-${STAFF.administrator.name}`],
    ]);
    expect(events[1]!.payload).toMatchObject({ outcome: "done", records: 200, problems: 0, sections: expect.arrayContaining([{ section: "items", created: 200, updated: 0, unchanged: 0, skipped: 0 }]) });
  });

  it("answers 409 with the running import's id while one runs, and takes the next once it has ended", async () => {
    const c = await admin();
    // The first upload is held open: its import is running (receiving) until the body ends.
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller;
      },
    });
    push.enqueue(new TextEncoder().encode(`${csv(items("RUN", 2))}\n`));
    const first = upload(c, "format=items-csv", body);
    const running = await eventually(
      async () => ((await c.send("GET", "/api/imports")).body as { imports: ImportView[] }).imports[0]!,
      (v) => v.state === "receiving",
      "the first upload to arrive",
    );
    const second = await upload(c, "format=items-csv", csv(items("TWO", 1)));
    expect([second.status, second.body]).toEqual([409, { error: "conflict", message: expect.stringContaining(running.id), importId: running.id }]);
    push.close();
    const answer = await first;
    expect([answer.status, (answer.body as ImportView).id]).toEqual([202, running.id]);
    expect((await ended(c, running.id)).state).toBe("done");
    const next = await upload(c, "format=items-csv", csv(items("TWO", 1)));
    expect(next.status).toBe(202);
    await ended(c, (next.body as ImportView).id);
  });

  it("lists imports of an earlier run of the console from their events: how they ended, their counts, and one cut off by a stop as failed", async () => {
    const c = await admin();
    const audit = new AuditLog(suite.stack().console.db);
    const who = { staff: STAFF.administrator.name, role: "administrator" as const, kind: "patrons-csv" as const, dryRun: false };
    await audit.record({ type: "ImportStarted", data: { importId: "earlier-1", ...who, fileName: "old.csv", size: 900 } });
    await audit.record({
      type: "ImportFinished",
      data: { importId: "earlier-1", ...who, fileName: "old.csv", outcome: "invalid", records: 0, sections: [], problems: 3 },
    });
    await audit.record({ type: "ImportStarted", data: { importId: "earlier-2", ...who, fileName: "cut.csv", size: 10 } });

    const list = ((await c.send("GET", "/api/imports")).body as { imports: ImportView[] }).imports;
    expect(list.slice(0, 2).map((v) => [v.id, v.state])).toEqual([
      ["earlier-2", "failed"],
      ["earlier-1", "invalid"],
    ]);
    const one = (await c.send("GET", "/api/imports/earlier-1")).body as ImportView;
    expect(one).toMatchObject({ state: "invalid", fileName: "old.csv", size: 900, problemCount: 3, problems: [], progress: null });
    expect((await c.send("GET", "/api/imports/earlier-2")).body).toMatchObject({ state: "failed", error: expect.stringContaining("stopped") });
    expect((await c.send("GET", "/api/imports/no-such-import")).status).toBe(404);
  });

  it("refuses an upload larger than the limit (413) before reading it, and an empty one (400); neither leaves an import", async () => {
    const c = await admin();
    const before = ((await c.send("GET", "/api/imports")).body as { imports: unknown[] }).imports.length;
    const url = new URL(`${c.baseUrl}/api/imports?format=json`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(2 ** 31), cookie: c.cookie, "x-csrf-token": c.csrf },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("{");
    });
    expect(status).toBe(413);
    expect((await upload(c, "format=json", "", "application/json")).status).toBe(400);
    expect(((await c.send("GET", "/api/imports")).body as { imports: unknown[] }).imports.length).toBe(before);
  });
}
