import { hold, item } from "@circulate/contracts";
import { rebuildProjections } from "@circulate/service";
import { withAdmin } from "@circulate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOAN_PROJECTIONS } from "../src/app/peer-facts.projection.js";
import { Harness } from "./harness.js";
import { JOHNSON, seedLibrary } from "./library.js";

/** The loan service's copies of item and hold facts, as rows without their bookkeeping times. */
async function copies(h: Harness) {
  const db = h.service.db;
  const items = await db.selectFrom("peer_items").select(["item_id", "institution_id", "barcode", "item", "stream_position"]).orderBy("item_id").execute();
  const holds = await db
    .selectFrom("peer_holds")
    .select(["hold_id", "queue_institution_id", "title_id", "active", "hold", "stream_position"])
    .orderBy("hold_id")
    .execute();
  const patrons = await db.selectFrom("peer_patrons").select(["patron_id", "name", "stream_position"]).orderBy("patron_id").execute();
  return { items, holds, patrons };
}

/** One number from the service's database while the service (and its pool) is stopped. */
function rowsWhileStopped(h: Harness, query: string): Promise<number> {
  return withAdmin(h.config().postgresUrl, async (client) => Number((await client.query<{ n: string }>(query)).rows[0]!.n));
}

describe("copies of peers' facts", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await seedLibrary(h);
  });
  afterAll(() => h.stop());

  it("rebuilt from the streams, they equal the ones kept live", async () => {
    for (const b of ["R1", "R2", "R3"]) h.world.item(b);
    h.world.item("R2", { state: item.ItemState.MISSING });
    const trapped = h.world.hold({ holdId: "h-r1", patronId: JOHNSON.patronId, titleId: "title-R1", status: hold.HoldStatus.AVAILABLE, trappedItem: { institutionId: "MAIN", barcode: "R1" } });
    h.world.hold({ holdId: "h-r3", patronId: JOHNSON.patronId, titleId: "title-R3" });
    h.world.hold({ ...trapped, status: hold.HoldStatus.FULFILLED });
    await h.publishWorld();
    await expect.poll(async () => (await copies(h)).holds.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(async () => (await copies(h)).items.length, { timeout: 10_000 }).toBe(3);
    const live = await copies(h);

    await h.restart(async () => {
      expect(await rebuildProjections(LOAN_PROJECTIONS, h.config())).toEqual(["loan-from-item", "loan-from-hold", "loan-from-patron"]);
      const counted = "SELECT (SELECT count(*) FROM peer_items) + (SELECT count(*) FROM peer_holds) + (SELECT count(*) FROM peer_patrons) AS n";
      expect(await rowsWhileStopped(h, counted)).toBe(0);
    });
    await expect.poll(async () => copies(h), { timeout: 10_000 }).toEqual(live);
    expect(live.holds.find((r) => r.hold_id === "h-r1")?.active).toBe(false);
    // R2's two events arrive in one batch when rebuilt: the newer one is the copy.
    expect(JSON.stringify(live.items.find((r) => r.barcode === "R2")?.item)).toContain("MISSING");
  });

  it("names the projections it rebuilds and refuses one it does not know", async () => {
    await expect(rebuildProjections(LOAN_PROJECTIONS, h.config(), ["loan-from-nowhere"])).rejects.toThrow(/no such projection/);
  });
});
