import { expect, it } from "vitest";
import { OTHER_STAFF, STAFF } from "./support/fixtures.js";
import type { Suite } from "./support/suite.js";

/** The demo's PIN as a token of its own (not inside a longer number or id). */
const DEMO_PIN = /(^|[^0-9A-Za-z])1234([^0-9A-Za-z]|$)/;
/** Ids are not where a PIN leaks, and one in 65,536 random ones has a group reading 1234. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function secretTests(suite: Suite): void {
  it("no response body and no log line holds a staff password, a demo PIN or a password hash", async () => {
    const stack = suite.stack();
    const hashes = (await stack.console.db.selectFrom("staff").select("password_hash").execute()).map((r) => r.password_hash);
    // Each hash whole, and its salt and key parts on their own.
    const secrets = [
      ...Object.values(STAFF).map((s) => s.password),
      ...Object.values(OTHER_STAFF).map((s) => s.password),
      ...hashes,
      ...hashes.flatMap((h) => h.split("$").slice(4)),
    ];
    expect(hashes.length).toBeGreaterThanOrEqual(5);
    const logs = stack.logs.lines;
    // The capture works: requests and the services' own lines are in it.
    expect(logs.some((l) => l.includes('"service":"console"') && l.includes("/api/session"))).toBe(true);
    expect(logs.some((l) => l.includes('"service":"patron"'))).toBe(true);
    expect(suite.bodies.length).toBeGreaterThan(50);
    for (const [where, texts] of [
      ["response bodies", suite.bodies],
      ["log lines", logs],
    ] as const) {
      for (const text of texts) {
        for (const s of secrets) expect(text.includes(s), `${where}: ${text.slice(0, 200)}`).toBe(false);
        expect(DEMO_PIN.test(text.replace(UUID, "<id>")), `${where}: ${text.slice(0, 200)}`).toBe(false);
      }
    }
  });
}
