import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../src/db.js";
import { routeTable } from "../src/openapi.js";
import { ApiClient, type Answer } from "./support/client.js";
import { createAccounts, OTHER_STAFF, ROLE_LIST, STAFF } from "./support/fixtures.js";
import { type ConsoleStack, startConsoleStack } from "./support/stack.js";
import { actionTests } from "./actions.js";
import { historyTests } from "./history.js";
import { checkedImport, importTests } from "./imports.js";
import { secretTests } from "./secrets.js";
import { securityTests } from "./security.js";
import { terminalTests } from "./terminals.js";
import type { Suite } from "./support/suite.js";

/**
 * Who may call each route (the brief's roles table), and one request that
 * succeeds for those who may. A route added without a line here fails the
 * first test, so no route exists without a rule that is exercised.
 */
type Who = "public" | "signed-in" | Role;
interface Example {
  who: Who;
  ok: number;
  path: string;
  body?: (role: Role) => unknown;
}
let feeId = "";
let holdId = "";
let terminalRevision = 0;
let importId = "";
const EXAMPLES: Record<string, Example> = {
  "POST /api/session": { who: "public", ok: 200, path: "/api/session", body: (role) => STAFF[role] },
  "GET /api/session": { who: "signed-in", ok: 200, path: "/api/session" },
  "DELETE /api/session": { who: "signed-in", ok: 204, path: "/api/session" },
  "GET /api/staff": { who: "administrator", ok: 200, path: "/api/staff" },
  "POST /api/staff": { who: "administrator", ok: 201, path: "/api/staff", body: (role) => ({ name: `made-by-${role}`, role: "viewer", password: `made-by-${role}-0123456789` }) },
  "PATCH /api/staff/:name": { who: "administrator", ok: 200, path: `/api/staff/${OTHER_STAFF.temp.name}`, body: () => ({ active: true }) },
  "GET /api/patrons/:institution/:barcode": { who: "viewer", ok: 200, path: "/api/patrons/MAIN/P0001" },
  "POST /api/patrons/:institution/:barcode/unlock-pin": { who: "circulation", ok: 200, path: "/api/patrons/MAIN/P0001/unlock-pin", body: () => ({}) },
  "POST /api/patrons/:institution/:barcode/card-lost": { who: "circulation", ok: 200, path: "/api/patrons/MAIN/P0003/card-lost", body: () => ({ lost: false }) },
  "GET /api/patrons/:institution": { who: "viewer", ok: 200, path: "/api/patrons/MAIN?name=ada" },
  "POST /api/patrons/:institution/:barcode/block": { who: "circulation", ok: 200, path: "/api/patrons/MAIN/P0001/block", body: () => ({ reason: "route table" }) },
  "POST /api/patrons/:institution/:barcode/unblock": { who: "circulation", ok: 200, path: "/api/patrons/MAIN/P0001/unblock", body: () => ({}) },
  "POST /api/items/:institution/:barcode/missing": { who: "circulation", ok: 200, path: "/api/items/MAIN/I0001/missing", body: () => ({ note: "route table" }) },
  "POST /api/items/:institution/:barcode/found": { who: "circulation", ok: 200, path: "/api/items/MAIN/I0001/found", body: () => ({ note: "route table" }) },
  "POST /api/holds/:holdId/cancel": { who: "circulation", ok: 200, path: "/api/holds/{holdId}/cancel", body: () => ({ reason: "route table" }) },
  "GET /api/patrons/:institution/:barcode/fees": { who: "viewer", ok: 200, path: "/api/patrons/MAIN/P0002/fees" },
  "POST /api/fees/:feeId/waive": { who: "circulation", ok: 200, path: "/api/fees/{feeId}/waive", body: () => ({ reason: "route table", amountMinor: 1 }) },
  "GET /api/patrons/:institution/:barcode/holds": { who: "viewer", ok: 200, path: "/api/patrons/MAIN/P0001/holds" },
  "GET /api/patrons/:institution/:barcode/loans": { who: "viewer", ok: 200, path: "/api/patrons/MAIN/P0005/loans" },
  "GET /api/items/:institution/:barcode": { who: "viewer", ok: 200, path: "/api/items/MAIN/I0007" },
  "GET /api/patrons/:institution/:barcode/history": { who: "viewer", ok: 200, path: "/api/patrons/MAIN/P0004/history" },
  "GET /api/items/:institution/:barcode/history": { who: "viewer", ok: 200, path: "/api/items/MAIN/I0007/history?limit=5" },
  "GET /api/audit": { who: "administrator", ok: 200, path: "/api/audit?limit=5" },
  "GET /api/terminals": { who: "viewer", ok: 200, path: "/api/terminals" },
  "GET /api/terminals/stream": { who: "viewer", ok: 200, path: "/api/terminals/stream" },
  "POST /api/terminals": { who: "administrator", ok: 201, path: "/api/terminals", body: (role) => ({ login: `made-by-${role}`, institutionId: "MAIN", password: "terminal-pw-0123" }) },
  "PATCH /api/terminals/:login": { who: "administrator", ok: 200, path: "/api/terminals/route-kiosk", body: () => ({ revision: terminalRevision, active: true }) },
  // A check of an empty document: ended at once, so the next role's request is not refused as a second import.
  "POST /api/imports": { who: "administrator", ok: 202, path: "/api/imports?format=json&dryRun=true", body: () => ({}) },
  "GET /api/imports": { who: "administrator", ok: 200, path: "/api/imports" },
  "GET /api/imports/:id": { who: "administrator", ok: 200, path: "/api/imports/{importId}" },
};
const RANK: Record<Who, number> = { public: 0, "signed-in": 0, viewer: 1, circulation: 2, administrator: 3 };
const ROUTES = routeTable();
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const pathOf = (ex: Example) => ex.path.replace("{feeId}", feeId).replace("{holdId}", holdId).replace("{importId}", importId);

let stack: ConsoleStack;
const bodies: string[] = [];
const client = () => new ApiClient(stack.console.url, bodies);

beforeAll(async () => {
  stack = await startConsoleStack();
  await createAccounts(stack);
  const admin = client();
  await admin.login(STAFF.administrator.name, STAFF.administrator.password);
  const fees = (await admin.send("GET", "/api/patrons/MAIN/P0002/fees")).body as { charges: { feeId: string; description: string }[] };
  feeId = fees.charges.find((c) => c.description.startsWith("Overdue"))!.feeId;
  // The demo's hold on the shelf for P0005; cancelled by the first role allowed, then answered as it is.
  holdId = ((await admin.send("GET", "/api/patrons/MAIN/P0005/holds")).body as { holds: { holdId: string }[] }).holds[0]!.holdId;
  const made = await admin.send("POST", "/api/terminals", { login: "route-kiosk", institutionId: "MAIN", password: "terminal-pw-0123" });
  terminalRevision = (made.body as { revision: number }).revision;
  importId = await checkedImport(admin);
});
afterAll(async () => {
  await stack?.stop();
});

describe("the route table", () => {
  it("has a rule and an example for every route, and the rules are the roles table's", () => {
    expect(ROUTES.map(key).sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const r of ROUTES) expect(r.access, key(r)).toBe(EXAMPLES[key(r)]!.who);
  });

  it("refuses every route but sign-in to a request without a session (401)", async () => {
    const anonymous = client();
    for (const r of ROUTES.filter((r) => r.access !== "public")) {
      const ex = EXAMPLES[key(r)]!;
      const answer = await anonymous.send(r.method, pathOf(ex), ex.body?.("viewer"));
      expect([answer.status, (answer.body as { error: string }).error], key(r)).toEqual([401, "unauthenticated"]);
    }
  });

  for (const role of ROLE_LIST) {
    it(`lets a ${role} do what the role may and answers 403 to the rest`, async () => {
      const c = client();
      expect((await c.login(STAFF[role].name, STAFF[role].password)).status).toBe(200);
      // Signing out last: the session is needed for the rest.
      const ordered = [...ROUTES].sort((a, b) => Number(key(a) === "DELETE /api/session") - Number(key(b) === "DELETE /api/session"));
      for (const r of ordered) {
        const ex = EXAMPLES[key(r)]!;
        const path = pathOf(ex);
        const answer: Answer = key(r) === "POST /api/session" ? await c.login(STAFF[role].name, STAFF[role].password) : await c.send(r.method, path, ex.body?.(role));
        if (RANK[role] >= RANK[ex.who]) {
          expect(answer.status, `${role} ${key(r)}: ${answer.text}`).toBe(ex.ok);
        } else {
          expect(answer.status, `${role} ${key(r)}`).toBe(403);
          expect(answer.body).toMatchObject({ error: "forbidden" });
        }
      }
      // Signed out: the old cookie no longer works.
      expect((await c.send("GET", "/api/session")).status).toBe(401);
    });
  }
});

const suite: Suite = { stack: () => stack, client, bodies };
describe("sessions, CSRF, origins and throttling", () => securityTests(suite));
describe("staff actions", () => actionTests(suite));
describe("terminal accounts and the fleet", () => terminalTests(suite));
describe("imports", () => importTests(suite));
describe("transaction history", () => historyTests(suite));
// Last: it reads every body and log line of everything above.
describe("secrets", () => secretTests(suite));
