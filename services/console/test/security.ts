import { expect, it } from "vitest";
import { OTHER_STAFF, STAFF } from "./support/fixtures.js";
import type { Suite } from "./support/suite.js";

export function securityTests(suite: Suite): void {
  const signedIn = async (who: { name: string; password: string }) => {
    const c = suite.client();
    expect((await c.login(who.name, who.password)).status).toBe(200);
    return c;
  };

  it("sets an HttpOnly, SameSite=Strict session cookie and never returns the session id in the body", async () => {
    const c = suite.client();
    const answer = await c.login(STAFF.viewer.name, STAFF.viewer.password);
    const cookie = answer.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^circulate-console=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.body).toEqual({ name: "vera", role: "viewer", csrfToken: expect.any(String) });
    expect(answer.text).not.toContain(c.cookie.split("=")[1]);
  });

  it("refuses a non-GET request without the CSRF token, or with another session's, with 403", async () => {
    const carl = await signedIn(STAFF.circulation);
    const other = await signedIn(STAFF.circulation);
    const path = "/api/patrons/MAIN/P0003/card-lost";
    const without = await carl.send("POST", path, { lost: true }, { "x-csrf-token": "" });
    expect([without.status, (without.body as { error: string }).error]).toEqual([403, "csrf"]);
    const foreign = await carl.send("POST", path, { lost: true }, { "x-csrf-token": other.csrf });
    expect([foreign.status, (foreign.body as { error: string }).error]).toEqual([403, "csrf"]);
    // Nothing happened: the card is still not lost.
    expect((await carl.send("GET", "/api/patrons/MAIN/P0003")).body).toMatchObject({ cardLost: false });
    const logout = await carl.send("DELETE", "/api/session", undefined, { "x-csrf-token": "" });
    expect(logout.status).toBe(403);
  });

  it("refuses a non-GET request from a foreign Origin with 403, sign-in included, and accepts its own origin", async () => {
    const carl = await signedIn(STAFF.circulation);
    const path = "/api/patrons/MAIN/P0003/card-lost";
    const evil = { origin: "https://evil.example" };
    const foreign = await carl.send("POST", path, { lost: false }, evil);
    expect([foreign.status, (foreign.body as { error: string }).error]).toEqual([403, "forbidden_origin"]);
    const login = await suite.client().send("POST", "/api/session", STAFF.viewer, evil);
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
    const own = await carl.send("POST", path, { lost: false }, { origin: new URL(suite.stack().console.url).origin });
    expect(own.status).toBe(200);
  });

  it("answers a wrong password and an unknown name alike (401), and throttles a name after five failures (429)", async () => {
    const { tess } = OTHER_STAFF;
    const wrong = await suite.client().login(tess.name, "not-the-password");
    const unknown = await suite.client().login("nobody-here", "not-the-password");
    expect([wrong.status, wrong.body]).toEqual([unknown.status, unknown.body]);
    expect(wrong.status).toBe(401);
    for (let i = 0; i < 4; i++) expect((await suite.client().login(tess.name, "not-the-password")).status).toBe(401);
    // The right password no longer helps until the window passes.
    const throttled = await suite.client().login(tess.name, tess.password);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    // Other names from the same address still sign in.
    await signedIn(STAFF.viewer);
  });

  it("ends an account's sessions when an administrator switches it off, and refuses its sign-in", async () => {
    const admin = await signedIn(STAFF.administrator);
    const temp = await signedIn(OTHER_STAFF.temp);
    expect((await admin.send("PATCH", `/api/staff/${OTHER_STAFF.temp.name}`, { active: false })).body).toMatchObject({ active: false });
    expect((await temp.send("GET", "/api/session")).status).toBe(401);
    expect((await suite.client().login(OTHER_STAFF.temp.name, OTHER_STAFF.temp.password)).status).toBe(401);
    expect((await admin.send("PATCH", `/api/staff/${OTHER_STAFF.temp.name}`, { active: true })).status).toBe(200);
  });

  it("never leaves the console without an active administrator (409)", async () => {
    const admin = await signedIn(STAFF.administrator);
    const demote = await admin.send("PATCH", `/api/staff/${STAFF.administrator.name}`, { role: "viewer" });
    expect([demote.status, (demote.body as { error: string }).error]).toEqual([409, "conflict"]);
    expect((await admin.send("GET", "/api/session")).body).toMatchObject({ role: "administrator" });
  });

  it("lists staff accounts without their password hashes", async () => {
    const admin = await signedIn(STAFF.administrator);
    const list = (await admin.send("GET", "/api/staff")).body as { staff: Record<string, unknown>[] };
    expect(list.staff.map((s) => s.name)).toEqual(expect.arrayContaining(["ada", "carl", "vera"]));
    for (const s of list.staff) expect(Object.keys(s).sort()).toEqual(["active", "createdAt", "name", "role", "updatedAt"]);
  });
}
