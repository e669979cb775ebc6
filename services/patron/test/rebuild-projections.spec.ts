import { rebuildProjections } from "@circulate/service";
import { withAdmin } from "@circulate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATRON_PROJECTIONS } from "../src/service.js";
import { Harness } from "./support.js";

/** The patron service's copies of loan, fee and hold facts, without their write times. */
async function copies(h: Harness) {
  const db = h.service.db;
  const strip = <R extends { updated_at?: unknown }>(rows: R[]) => rows.map(({ updated_at: _, ...rest }) => rest);
  return {
    streams: await db.selectFrom("patron_peer_streams").selectAll().orderBy("service").orderBy("stream_id").execute(),
    loans: strip(await db.selectFrom("patron_loans").selectAll().orderBy("loan_id").execute()),
    accounts: strip(await db.selectFrom("patron_fee_accounts").selectAll().orderBy("stream_id").execute()),
    charges: strip(await db.selectFrom("patron_fee_charges").selectAll().orderBy("fee_id").execute()),
    holds: strip(await db.selectFrom("patron_holds").selectAll().orderBy("hold_id").execute()),
  };
}

const COUNTED = `SELECT (SELECT count(*) FROM patron_peer_streams) + (SELECT count(*) FROM patron_loans)
  + (SELECT count(*) FROM patron_fee_accounts) + (SELECT count(*) FROM patron_fee_charges) + (SELECT count(*) FROM patron_holds) AS n`;

describe("the patron service's copies of peers' facts", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
  });
  afterAll(() => h.stop());

  it("rebuilt from the streams, equal the ones kept live", async () => {
    await h.addPatron("R100");
    await h.addPatron("R101");
    const [a, b] = [await h.patron("R100"), await h.patron("R101")];
    await h.peers.lend(a, "R-I1", 3);
    await h.peers.lend(a, "R-I2", -2);
    await h.peers.renew("R-I1", 10);
    await h.peers.lend(b, "R-I3", 5);
    const fine = await h.peers.charge(a, 400);
    await h.peers.charge(b, 250);
    await h.peers.pay(a, fine.feeId, 150);
    const waiting = await h.peers.placeHold(a, "title-R1", null);
    await h.peers.placeHold(b, "title-R2", "R-I9");
    await h.peers.trap(waiting.holdId, "R-I7");
    await expect.poll(async () => (await copies(h)).holds.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(async () => (await copies(h)).charges.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(async () => (await copies(h)).loans.length, { timeout: 10_000 }).toBe(3);
    const live = await copies(h);
    expect(live.streams.map((s) => s.service)).toEqual(expect.arrayContaining(["loan", "fee", "hold"]));

    await h.restart(async () => {
      expect(await rebuildProjections(PATRON_PROJECTIONS, h.config())).toEqual(["patron-from-loan", "patron-from-fee", "patron-from-hold"]);
      expect(await withAdmin(h.config().postgresUrl, async (c) => Number((await c.query<{ n: string }>(COUNTED)).rows[0]!.n))).toBe(0);
    });
    await expect.poll(async () => copies(h), { timeout: 15_000 }).toEqual(live);
  });

  it("rebuilds one copy alone, leaving the others' positions", async () => {
    const before = await copies(h);
    await h.restart(async () => {
      expect(await rebuildProjections(PATRON_PROJECTIONS, h.config(), ["patron-from-fee"])).toEqual(["patron-from-fee"]);
      const left = await withAdmin(h.config().postgresUrl, async (c) => (await c.query<{ service: string }>("SELECT DISTINCT service FROM patron_peer_streams ORDER BY 1")).rows);
      expect(left.map((r) => r.service)).toEqual(["hold", "loan"]);
    });
    await expect.poll(async () => copies(h), { timeout: 15_000 }).toEqual(before);
  });
});
