import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { common, fee, hold, item, loan, patron } from "@circulate/contracts";
import { type ImportProgress, type ImportSummary, loadImportInput, runImport } from "@circulate/import";
import * as grpc from "@grpc/grpc-js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/stack.js";

const DEMO = fileURLToPath(new URL("../infra/demo", import.meta.url));
const IMPORT_MAIN = fileURLToPath(new URL("../libs/import/src/main.ts", import.meta.url));
const DAY_MS = 86_400_000;
const ZONE = "America/New_York";

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;
type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, cb: Callback<Res>) => unknown;
/** A unary call as a promise (the four-argument overload, so TypeScript infers the types). */
function ask<Req, Res>(client: grpc.Client, method: Unary<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) =>
    method.call(client, request, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

/** The real `circulate-import` process from source, pointed at the stack. */
function runCliProcess(stack: Stack): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const flags = Object.entries(stack.addresses).flatMap(([name, address]) => [`--${name}`, address]);
  const child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", IMPORT_MAIN, DEMO, ...flags], {
    cwd: fileURLToPath(new URL("../libs/import", import.meta.url)),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Local date (YYYY-MM-DD) of an instant in the demo's zone. */
const localDate = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(d);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);

/** Waits until `probe` holds: item states follow loan and hold events through JetStream. */
async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("importing the demo library into the whole stack", () => {
  let stack: Stack;
  let first: ImportSummary;
  let second: ImportSummary;
  let cli: { code: number | null; stdout: string; stderr: string };
  const eventCounts: Record<string, number>[] = [];
  const progress: ImportProgress[] = [];
  let patrons: patron.PatronsClient;
  let items: item.ItemsClient;
  let loans: loan.LoansClient;
  let fees: fee.FeesClient;
  let holds: hold.HoldsClient;

  const countEvents = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(stack.services).map(async ([name, s]) => [name, Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(s.db)).rows[0]!.n)] as const),
      ),
    );

  const itemStates = () =>
    sql<{ barcode: string; state: string }>`SELECT barcode, state FROM items WHERE barcode IN ('I0005', 'I0006', 'I0007') ORDER BY barcode`.execute(
      stack.services.item.db,
    );
  const itemStatesSettled = () =>
    eventually(
      itemStates,
      (r) => r.rows.length === 3 && r.rows.every((row) => row.state !== "available"),
      "item states from loan and hold events",
    );

  beforeAll(async () => {
    stack = await startStack();
    console.info(`stack of five services started in ${stack.startupMs} ms`);
    const input = await loadImportInput(DEMO);
    let t = performance.now();
    const lap = () => {
      const ms = Math.round(performance.now() - t);
      t = performance.now();
      return ms;
    };
    first = (await runImport(input, { addresses: stack.addresses, onProgress: (p) => progress.push(p) })).summary!;
    const firstMs = lap();
    // The item service records loans and holds from their events (JetStream): let it catch up before counting.
    await itemStatesSettled();
    eventCounts.push(await countEvents());
    lap();
    second = (await runImport(input, { addresses: stack.addresses })).summary!;
    const secondMs = lap();
    eventCounts.push(await countEvents());
    cli = await runCliProcess(stack);
    console.info(`demo import: first run ${firstMs} ms, second run ${secondMs} ms, CLI process ${lap()} ms`);
    eventCounts.push(await countEvents());
    const creds = grpc.credentials.createInsecure();
    patrons = new patron.PatronsClient(stack.addresses.patron, creds);
    items = new item.ItemsClient(stack.addresses.item, creds);
    loans = new loan.LoansClient(stack.addresses.loan, creds);
    fees = new fee.FeesClient(stack.addresses.fee, creds);
    holds = new hold.HoldsClient(stack.addresses.hold, creds);
  });

  afterAll(async () => {
    for (const c of [patrons, items, loans, fees, holds]) c?.close();
    await stack?.stop();
  });

  it("the first run creates every record and skips none", () => {
    expect(first.institutions.patron).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.patrons).toEqual({ created: 6, updated: 0, unchanged: 0 });
    expect(first.items).toEqual({ created: 10, updated: 0, unchanged: 0 });
    expect(first.loans).toMatchObject({ imported: 2, skipped: 0 });
    expect(first.holds).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.charges).toEqual({ imported: 2, skipped: 0 });
  });

  it("reports its progress: the validation pass, then each section loaded, ending at its total", () => {
    const ends = progress.filter((p) => p.finished).map((p) => [p.phase, p.section, p.done, p.total]);
    expect(ends[0]).toEqual(["validating", "records", 16, 16]);
    // Patrons and items are sent side by side: either may finish first.
    expect(ends.slice(1, 3).sort()).toEqual([
      ["loading", "items", 10, 10],
      ["loading", "patrons", 6, 6],
    ]);
    expect(ends.slice(3)).toEqual([
      ["loading", "loans", 2, 2],
      ["loading", "holds", 2, 2],
      ["loading", "charges", 2, 2],
    ]);
    expect(progress.filter((p) => p.phase === "loading" && !p.finished).every((p) => p.done === 0)).toBe(true);
  });

    it("running it again changes nothing: every section unchanged, no event written", () => {
    expect(second.institutions.patron).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(second.institutions.loan).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(second.institutions.fee).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(second.calendars).toEqual({ created: 0, updated: 0, unchanged: first.calendars.created });
    expect(second.patronTypes).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(second.loanRules).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(second.patrons).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(second.items).toEqual({ created: 0, updated: 0, unchanged: 10 });
    expect(second.loans).toEqual({ imported: 0, unchanged: 2, skipped: 0, skippedLoans: [] });
    expect(second.holds).toEqual({ created: 0, updated: 0, unchanged: 2 });
    // The fee service reports a charge it already has as skipped.
    expect(second.charges).toEqual({ imported: 0, skipped: 2 });
    expect(eventCounts[1]).toEqual(eventCounts[0]);
  });

  it("the circulate-import command loads the same directory, exits 0 and prints the summary", () => {
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    const summary = JSON.parse(cli.stdout) as ImportSummary;
    expect(summary.patrons).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(summary.items).toEqual({ created: 0, updated: 0, unchanged: 10 });
    expect(eventCounts[2]).toEqual(eventCounts[0]);
  });

  it("has 6 patrons and 10 items, each once", async () => {
    const [patronRows, itemRows] = await Promise.all([
      sql<{ n: string }>`SELECT count(*) AS n FROM patrons`.execute(stack.services.patron.db),
      sql<{ n: string }>`SELECT count(*) AS n FROM items`.execute(stack.services.item.db),
    ]);
    expect(Number(patronRows.rows[0]!.n)).toBe(6);
    expect(Number(itemRows.rows[0]!.n)).toBe(10);
    for (const [institutionId, barcode] of [["MAIN", "P0001"], ["MAIN", "P0002"], ["MAIN", "P0003"], ["MAIN", "P0004"], ["MAIN", "P0005"], ["EAST", "P0006"]] as const) {
      const { patron: p } = await ask(patrons, patrons.getPatron, { key: { $case: "patron", value: { institutionId, barcode } } });
      expect(p?.patron).toEqual({ institutionId, barcode });
      expect(p?.pinSet).toBe(true);
    }
    const refs = [...Array(9).keys()].map((i) => ({ institutionId: "MAIN", barcode: `I000${i + 1}` }));
    const { items: found } = await ask(items, items.getItems, { items: [...refs, { institutionId: "EAST", barcode: "I0010" }], itemIds: [] });
    expect(found.map((i) => i.item?.barcode).sort()).toEqual([...refs.map((r) => r.barcode), "I0010"]);
    expect(found.find((i) => i.item?.barcode === "I0004")?.circulating).toBe(false);
    expect(found.find((i) => i.item?.barcode === "I0010")?.owner).toBe("EAST");
  });

  it("P0002 owes 12.50 in two charges, over the 10.00 limit", async () => {
    const { account } = await ask(fees, fees.getAccount, { key: { $case: "patron", value: { institutionId: "MAIN", barcode: "P0002" } } });
    expect(account?.balance).toEqual({ currency: "USD", amountMinor: 1250 });
    expect(account?.charges).toHaveLength(2);
    const standing = await ask(patrons, patrons.verifyPatron, { patron: { institutionId: "MAIN", barcode: "P0002" }, pin: "1234", correlationId: "" });
    expect(standing.standing?.pinValid).toBe(true);
    expect(standing.standing?.status?.excessiveOutstandingFines).toBe(true);
  });

  it("P0005 has I0005 on loan 10 days overdue and I0006 on the hold shelf for her", async () => {
    const list = await ask(loans, loans.listLoans, { key: { $case: "patron", value: { institutionId: "MAIN", barcode: "P0005" } }, asOf: undefined });
    expect(list.loans.map((l) => l.item?.barcode)).toEqual(["I0005"]);
    const overdue = list.loans[0]!;
    expect(overdue.overdue).toBe(true);
    expect(daysBetween(localDate(overdue.dueAt!), localDate(new Date()))).toBe(10);
    expect(list.overdueCount).toBe(1);

    const mine = await ask(holds, holds.listHolds, { key: { $case: "patron", value: { institutionId: "MAIN", barcode: "P0005" } }, includeClosed: false });
    expect(mine.holds).toHaveLength(1);
    expect(mine.holds[0]).toMatchObject({ status: hold.HoldStatus.AVAILABLE, trappedItem: { institutionId: "MAIN", barcode: "I0006" }, pickupLocation: "MAIN" });
    const queue = await ask(holds, holds.getQueue, { key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0006" } }, itemTitleId: "" });
    expect(queue.trappedHold?.patron).toEqual({ institutionId: "MAIN", barcode: "P0005" });
  });

  it("I0007 is on loan to P0006 (EAST), not overdue, with P0001's hold queued for pickup at MAIN", async () => {
    const { loan: current } = await ask(loans, loans.getLoan, { key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0007" } } });
    expect(current?.patron).toEqual({ institutionId: "EAST", barcode: "P0006" });
    expect(current?.overdue).toBe(false);
    const queue = await ask(holds, holds.getQueue, { key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0007" } }, itemTitleId: "" });
    expect(queue.holds).toHaveLength(1);
    expect(queue.holds[0]).toMatchObject({
      patron: { institutionId: "MAIN", barcode: "P0001" },
      status: hold.HoldStatus.WAITING,
      queuePosition: 1,
      pickupLocation: "MAIN",
      holdType: common.HoldType.SPECIFIC_COPY,
    });
    expect(queue.trappedHold).toBeUndefined();
  });

  it("I0008 is missing; the loan and hold events reached the item service", async () => {
    const get = (barcode: string) => ask(items, items.getItem, { key: { $case: "item", value: { institutionId: "MAIN", barcode } } });
    expect((await get("I0008")).item?.state).toBe(item.ItemState.MISSING);
    // GetItem reports items on loan or on the hold shelf as available (those states belong to loan and hold);
    // the item service's own projection shows it consumed their events.
    const states = await itemStatesSettled();
    expect(states.rows.map((r) => [r.barcode, r.state])).toEqual([
      ["I0005", "on_loan"],
      ["I0006", "on_hold_shelf"],
      ["I0007", "on_loan"],
    ]);
  });

  it("P0004 is blocked with its message; P0003's card has expired; P0001 is in good standing", async () => {
    const verify = (barcode: string) => ask(patrons, patrons.verifyPatron, { patron: { institutionId: "MAIN", barcode }, pin: "1234", correlationId: "" });
    const { patron: turing } = await ask(patrons, patrons.getPatron, { key: { $case: "patron", value: { institutionId: "MAIN", barcode: "P0004" } } });
    expect(turing?.blocked).toBe(true);
    expect(turing?.blockReason).toBe("Card suspended: please see the circulation desk");
    expect((await verify("P0004")).blocked).toBe(true);
    const hopper = await verify("P0003");
    expect(hopper.expired).toBe(true);
    expect(hopper.standing?.status?.chargePrivilegesDenied).toBe(true);
    const ada = await verify("P0001");
    expect(ada).toMatchObject({ found: true, blocked: false, expired: false });
    expect(ada.standing?.pinValid).toBe(true);
    expect(ada.standing?.status?.chargePrivilegesDenied).toBe(false);
  });
});
