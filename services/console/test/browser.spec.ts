/**
 * The web console in a real Chromium (headless, playwright-core) against the real console
 * process, the five services on the demo library, a real gateway and real TCP kiosks: the fleet
 * page follows a kiosk live and switches an account off, the patron page lifts a PIN lock and
 * waives fees, and each of those is checked where it matters, at the kiosk.
 * CIRCULATE_SCREENSHOTS=1 writes docs/console-fleet.png and docs/console-patron.png.
 */
import { fileURLToPath } from "node:url";
import { createLogger } from "@circulate/runtime";
import type { RunningGateway } from "@circulate/sip2-gateway";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.js";
import { createAccounts, STAFF } from "./support/fixtures.js";
import { startTestGateway } from "./support/gateway.js";
import { checkin, checkout, login, patronStatus, scStatus, TestKiosk } from "./support/kiosk.js";
import { type ConsoleStack, startConsoleStack } from "./support/stack.js";
import { ensureWebBuilt, launchChromium, type TestBrowser } from "./support/web.js";

const DOCS = fileURLToPath(new URL("../../../docs/", import.meta.url));
const SCREENSHOTS = process.env.CIRCULATE_SCREENSHOTS === "1";
const PIN = "1234";
/** The terminal account made in the fleet page; its password is typed once and must never show again. */
const DESK = { login: "desk9", password: `desk9-${Math.random().toString(36).slice(2, 12)}` };

let stack: ConsoleStack;
let gateway: RunningGateway;
let browser: TestBrowser;
let page: Page;
const kiosks: TestKiosk[] = [];

const kiosk = async () => {
  const k = await TestKiosk.connect(gateway.tcp.port);
  kiosks.push(k);
  return k;
};
const row = (login: string, status?: string) => page.locator(`tr[data-login="${login}"]${status ? `[data-status="${status}"]` : ""}`);

async function signInAs(role: keyof typeof STAFF): Promise<void> {
  if (await page.locator("header button", { hasText: "Sign out" }).isVisible()) await page.click("header button:has-text('Sign out')");
  await page.fill("input[name=name]", STAFF[role].name);
  await page.fill("input[name=password]", STAFF[role].password);
  await page.click("button[type=submit]");
  await page.locator("[data-testid=who]", { hasText: `${STAFF[role].name} · ${role}` }).waitFor();
}

async function openPatron(barcode: string): Promise<void> {
  await page.goto(`${stack.console.url}/#/patron/MAIN/${barcode}`);
  await page.locator("[data-testid=patron] h2", { hasText: barcode }).waitFor();
}

beforeAll(async () => {
  ensureWebBuilt();
  stack = await startConsoleStack({ consoleProcess: true, consoleEnv: { CONSOLE_TERMINAL_SILENT_SECONDS: "3", CONSOLE_FLEET_PUSH_MS: "500" } });
  await createAccounts(stack);
  gateway = await startTestGateway(stack, createLogger({ service: "sip2-gateway", level: "info" }, stack.logs));
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(stack.console.url);
});
afterAll(async () => {
  for (const k of kiosks) k.close();
  await browser?.close();
  await gateway?.stop();
  await stack?.stop();
});

describe("the web console in Chromium", () => {
  it("serves the page at / with a strict content security policy, and leaves /api to the API", async () => {
    const res = await fetch(`${stack.console.url}/`);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const missing = await fetch(`${stack.console.url}/api/no-such-route`);
    expect([missing.status, await missing.json()]).toEqual([404, { error: "not_found", message: "no such route" }]);
  });

  it("adds a terminal account in the fleet page and follows its kiosk live: connected, out of paper, silent", async () => {
    await signInAs("administrator");
    await page.click("button:has-text('Add terminal')");
    const form = page.locator("[data-testid=terminal-form]");
    await form.locator("input[name=login]").fill(DESK.login);
    await form.locator("input[name=password]").fill(DESK.password);
    await form.locator("input[name=allowedNetworks]").fill("127.0.0.0/8");
    await form.locator("button[type=submit]").click();
    await row(DESK.login, "disconnected").waitFor();

    const desk = await kiosk();
    expect(await desk.ask(login(DESK.login, DESK.password))).toMatchObject({ code: "94", ok: true });
    expect(await desk.ask(scStatus("0"))).toMatchObject({ code: "98" });
    await row(DESK.login, "connected").waitFor({ timeout: 2_500 });
    expect(await row(DESK.login).locator("td").nth(3).textContent()).toBe("127.0.0.1");

    await desk.ask(scStatus("1"));
    await row(DESK.login, "out-of-paper").waitFor({ timeout: 2_500 });
    expect(await row(DESK.login).locator(".badge").first().textContent()).toBe("out of paper");

    await desk.ask(scStatus("0"));
    await row(DESK.login, "connected").waitFor({ timeout: 2_500 });
    // Silent after 3 s without a request (this test's threshold), shown within a push or two.
    const quietSince = Date.now();
    await row(DESK.login, "silent").waitFor({ timeout: 6_000 });
    expect(Date.now() - quietSince).toBeGreaterThanOrEqual(2_500);
  });

  it("switches a terminal account off in the fleet page: its open connection is closed and its next login refused (940)", async () => {
    // A file account shows before any kiosk uses it, with the gateway whose file has it.
    const before = row("kiosk1", "disconnected");
    await before.waitFor();
    expect(await before.locator("td").nth(2).textContent()).toBe(`MAIN / MAIN accounts file (${gateway.gatewayId})`);
    expect(await before.locator("td").nth(9).textContent()).toBe("never seen");
    const file = await kiosk();
    expect(await file.ask(login("kiosk1", "kiosk1pw"))).toMatchObject({ ok: true });
    await file.ask(scStatus("0"));
    await row("kiosk1", "connected").waitFor({ timeout: 2_500 });
    // Without an edit button: the console cannot change a file account.
    expect(await row("kiosk1").locator("button").count()).toBe(0);
    if (SCREENSHOTS) await page.screenshot({ path: `${DOCS}console-fleet.png`, fullPage: true });

    const open = kiosks[0]!;
    await row(DESK.login).locator("button:has-text('Edit')").click();
    await page.locator("[data-testid=terminal-form] button:has-text('Disable')").click();
    await Promise.race([open.closed, new Promise((_, reject) => setTimeout(() => reject(new Error("connection not closed")), 5_000))]);
    await row(DESK.login).locator(".badge.off").waitFor();
    const again = await kiosk();
    expect(await again.ask(login(DESK.login, DESK.password))).toMatchObject({ code: "94", ok: false });
  });

  it("lifts P0003's PIN lock (five wrong PINs over SIP2) in the patron page, and the next 23 is valid (CQ Y)", async () => {
    const k = await kiosk();
    await k.ask(login("kiosk1", "kiosk1pw"));
    for (let i = 0; i < 5; i++) expect(await k.ask(patronStatus("P0003", "0000"))).toMatchObject({ validPatronPassword: false });
    expect(await k.ask(patronStatus("P0003", PIN))).toMatchObject({ validPatronPassword: false });

    await signInAs("circulation");
    await openPatron("P0003");
    await page.locator("[data-testid=pin-locked]").waitFor();
    await page.click("button:has-text('Unlock PIN')");
    await page.locator("[role=status]", { hasText: "PIN lock lifted" }).waitFor();
    expect(await page.locator("[data-testid=pin-locked]").count()).toBe(0);
    expect(await k.ask(patronStatus("P0003", PIN))).toMatchObject({ code: "24", validPatronPassword: true });
  });

  it("waives P0002's fees in the patron page with a reason, and P0002's next checkout (11) is allowed", async () => {
    const k = await kiosk();
    await k.ask(login("kiosk1", "kiosk1pw"));
    expect(await k.ask(checkout("P0002", "I0001", PIN))).toMatchObject({ code: "12", ok: false });

    await openPatron("P0002");
    expect(await page.locator("[data-testid=owed]").textContent()).toBe("12.50 USD");
    if (SCREENSHOTS) await page.screenshot({ path: `${DOCS}console-patron.png`, fullPage: true });
    for (let left = await page.locator("[data-fee]").count(); left > 0; left--) {
      const charge = page.locator("[data-fee]").first();
      await charge.locator("button:has-text('Waive')").click();
      await charge.locator("input[name=reason]").fill("desk goodwill");
      await charge.locator("form.waive button[type=submit]").click();
      await page.locator("[data-fee]").nth(left - 1).waitFor({ state: "detached" });
    }
    await page.locator("[data-testid=owed]", { hasText: "0.00 USD" }).waitFor();
    expect(await k.ask(checkout("P0002", "I0001", PIN))).toMatchObject({ code: "12", ok: true });
  });

  it("finds Ada by name, blocks her (her next checkout is refused at the kiosk) and unblocks her, cancels a hold, marks an item missing and found", async () => {
    const k = await kiosk();
    await k.ask(login("kiosk1", "kiosk1pw"));
    await page.goto(`${stack.console.url}/#/patron`);
    const search = page.locator("[data-testid=patron-search]");
    await search.locator("input[name=name]").fill("ada");
    await search.locator("button[type=submit]").click();
    await search.locator("a", { hasText: "Ada Lovelace" }).click();
    await page.locator("[data-testid=patron] h2", { hasText: "P0001" }).waitFor();

    const patron = page.locator("[data-testid=patron]");
    await patron.locator("button:has-text('Block')").click();
    await patron.locator("form.block input[name=reason]").fill("books returned damaged");
    await patron.locator("form.block button[type=submit]").click();
    await patron.locator(".badge", { hasText: "blocked: books returned damaged" }).waitFor();
    expect(await k.ask(checkout("P0001", "I0009", PIN))).toMatchObject({ ok: false });
    await patron.locator("button:has-text('Unblock')").click();
    await patron.locator("form.unblock button[type=submit]").click();
    await page.locator("[role=status]", { hasText: "Block lifted" }).waitFor();
    expect(await patron.locator(".badge", { hasText: "blocked" }).count()).toBe(0);
    expect(await k.ask(checkout("P0001", "I0009", PIN))).toMatchObject({ code: "12", ok: true });

    await openPatron("P0005");
    const hold = page.locator("[data-hold]").first();
    await hold.locator("button:has-text('Cancel hold')").click();
    await hold.locator("input[name=reason]").fill("patron phoned");
    await hold.locator("form.cancel-hold button[type=submit]").click();
    await page.locator("[role=status]", { hasText: "Hold cancelled" }).waitFor();
    expect(await page.locator("[data-hold]").count()).toBe(0);

    await page.goto(`${stack.console.url}/#/item/MAIN/I0003`);
    const item = page.locator("[data-testid=item]");
    await item.locator("button:has-text('Missing')").click();
    await item.locator("form.missing input[name=reason]").fill("not on the shelf");
    await item.locator("form.missing button[type=submit]").click();
    await item.locator(".badge", { hasText: "missing" }).waitFor();
    await item.locator("button:has-text('Found')").click();
    await item.locator("form.found input[name=reason]").fill("was behind the shelf");
    await item.locator("form.found button[type=submit]").click();
    await item.locator(".badge", { hasText: "available" }).waitFor();
  });

  it("imports from the Import tab: a CSV with a bad row lists its problem and loads nothing, a good one finishes with its summary", async () => {
    await signInAs("administrator");
    await page.goto(`${stack.console.url}/#/import`);
    const form = page.locator("[data-testid=import-form]");
    const header = "institution,barcode,title,itemType,location";
    const choose = (name: string, rows: string[]) => form.locator("input[name=file]").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from([header, ...rows].join("\n")) });

    await choose("branch-items.csv", ["MAIN,WEB0001,Web title,book,MAIN", "MAIN,WEB0002,,book,MAIN"]);
    expect(await form.locator("select[name=kind]").inputValue()).toBe("items-csv");
    await form.locator("button", { hasText: "Import" }).click();
    const invalid = page.locator("[data-testid=import][data-state=invalid]");
    await invalid.waitFor();
    expect(await invalid.locator("[data-testid=problems] tbody tr").allTextContents()).toEqual(["branch-items.csv row 3 (MAIN/WEB0002)title is required"]);
    expect(await page.evaluate(async () => (await fetch("/api/items/MAIN/WEB0001")).status)).toBe(404);

    await choose("branch-items.csv", ["MAIN,WEB0001,Web title,book,MAIN", "MAIN,WEB0002,Another web title,book,MAIN"]);
    await form.locator("button", { hasText: "Import" }).click();
    const done = page.locator("[data-testid=import][data-state=done]");
    await done.waitFor();
    expect(await done.locator("tr[data-section=items] td").allTextContents()).toEqual(["items", "2", "0", "0", "0"]);
    await page.goto(`${stack.console.url}/#/item/MAIN/WEB0002`);
    await page.locator("[data-testid=item]", { hasText: "Another web title" }).waitFor();
  });

  it("shows a viewer no action: no add or edit in the fleet page, no unlock or waive in the patron page, and the API refuses it (403)", async () => {
    await signInAs("viewer");
    await page.goto(`${stack.console.url}/#/fleet`);
    await row(DESK.login).waitFor();
    expect(await page.locator("main button").count()).toBe(0);
    expect(await page.locator("header nav a", { hasText: "Import" }).count()).toBe(0);
    await openPatron("P0001");
    expect(await page.locator("main button:not([type=submit])").count()).toBe(0);
    const status = await page.evaluate(async (login) => {
      const me = (await (await fetch("/api/session")).json()) as { csrfToken: string };
      const res = await fetch(`/api/terminals/${login}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
        body: JSON.stringify({ revision: 1, active: true }),
      });
      return res.status;
    }, DESK.login);
    expect(status).toBe(403);
  });

  it("shows an item in the item page: its loan and its hold queue, linked to the patrons", async () => {
    await page.goto(`${stack.console.url}/#/item/MAIN/I0007`);
    const item = page.locator("[data-testid=item]");
    await item.waitFor();
    expect(await item.locator("dd", { hasText: "to EAST/P0006" }).count()).toBe(1);
    expect(await item.locator("ol li").allTextContents()).toEqual([expect.stringContaining("MAIN/P0001")]);
    // Signed in as a viewer: no missing or found.
    expect(await item.locator("button").count()).toBe(0);
    await item.locator("a", { hasText: "MAIN/P0001" }).click();
    await page.locator("[data-testid=patron] h2", { hasText: "P0001" }).waitFor();
  });

  it("shows a viewer the history: P0001's checkout refused while blocked, with why and what the kiosk said, and I0009's checkout and checkin", async () => {
    const k = await kiosk();
    await k.ask(login("kiosk1", "kiosk1pw"));
    expect(await k.ask(checkin("I0009"))).toMatchObject({ code: "10", ok: true });

    await openPatron("P0001");
    const history = page.locator("[data-testid=history]");
    const refusal = history.locator("tr[data-kind=refusal]", { hasText: "Checkout refused: patron blocked — kiosk was told 'Your account is blocked. Please see staff.'" });
    await refusal.waitFor();
    expect(await refusal.locator("td").nth(2).textContent()).toBe("I0009");
    expect(await refusal.locator("td").nth(3).textContent()).toBe("kiosk1");
    // The block before it, by the staff member who set it in the page.
    expect(await history.locator("tr[data-type=PatronBlocked]", { hasText: `Blocked by ${STAFF.circulation.name}` }).count()).toBe(1);

    await page.goto(`${stack.console.url}/#/item/MAIN/I0009`);
    const itemHistory = page.locator("[data-testid=history]");
    await itemHistory.locator("tr[data-type=ItemCheckedIn]", { hasText: "Checked in at kiosk kiosk1 (MAIN) — " }).waitFor();
    expect(await itemHistory.locator("tr[data-type=ItemCheckedOut]", { hasText: /^.*Checked out at kiosk kiosk1.*, due .*P0001kiosk1$/ }).count()).toBe(1);
    const types = await itemHistory.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-type")));
    expect(types.indexOf("ItemCheckedIn")).toBeLessThan(types.indexOf("ItemCheckedOut"));
  });

  it("shows an item's long history a page at a time: the newest 50, then older ones with Show older, until there are no more", async () => {
    const desk = new ApiClient(stack.console.url, []);
    expect((await desk.login(STAFF.circulation.name, STAFF.circulation.password)).status).toBe(200);
    // 30 rounds of missing and found: 60 status changes on I0010, plus its import.
    for (let i = 1; i <= 30; i++) {
      for (const status of ["missing", "found"]) {
        const answer = await desk.send("POST", `/api/items/EAST/I0010/${status}`, { note: `shelf check ${i}` });
        expect(answer.status, answer.text).toBe(200);
      }
    }
    await page.goto(`${stack.console.url}/#/item/EAST/I0010`);
    const history = page.locator("[data-testid=history]");
    const rows = history.locator("tbody tr");
    const older = history.locator("button", { hasText: "Show older" });
    await older.waitFor();
    const first = await rows.count();
    expect(first).toBeGreaterThan(40);
    expect(first).toBeLessThanOrEqual(50);
    // The older page takes its time, as on a slow network: the button reads "Loading…" meanwhile.
    const slowly = "**/history?before=*";
    await page.route(slowly, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    await older.click();
    await history.locator("button", { hasText: "Loading…" }).waitFor();
    // Gone once there is nothing older.
    await history.locator("button").waitFor({ state: "detached" });
    await page.unroute(slowly);
    const ids = await rows.evaluateAll((trs) => trs.map((r) => r.getAttribute("data-type")));
    expect(ids.length).toBeGreaterThanOrEqual(61);
    expect(ids.at(-1)).toMatch(/^Item(Imported|Registered)/);
  });

  it("never shows or logs the terminal's password", async () => {
    expect(await page.content()).not.toContain(DESK.password);
    expect(stack.logs.lines.some((l) => l.includes(DESK.password))).toBe(false);
    expect(stack.logs.lines.some((l) => l.includes('"service":"sip2-gateway"'))).toBe(true);
  });
});
