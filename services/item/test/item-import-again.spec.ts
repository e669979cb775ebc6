import { item as itemPb, loan } from "@circulate/contracts";
import { appendToStream, type Event } from "@circulate/eventstore";
import { blockedOnLock } from "@circulate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemDatabase } from "../src/adapters/db.js";
import { itemStreamId } from "../src/domain/index.js";
import { book, eventually, ItemHarness } from "./support.js";

const h = new ItemHarness();

/** A kiosk's checkin of `barcode`, as the loan service publishes it. */
async function checkInAtKiosk(barcode: string): Promise<void> {
  const itemId = (await h.row(barcode))!.item_id;
  await h.publishEvent(
    "loan",
    "ItemCheckedIn",
    loan.ItemCheckedIn.fromPartial({ loanId: "", itemId, item: { institutionId: "MAIN", barcode }, returnedAt: new Date(), location: "DESK", institutionId: "MAIN" }),
  );
  await eventually(async () => (await h.row(barcode))?.state === "available");
}

describe("item service: UpsertItems run again after circulation", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("an item found and checked in since the import is not marked missing again; its record still takes changes", async () => {
    expect(await h.upsert([book("R0008", { state: itemPb.ItemState.MISSING })])).toEqual({ created: 1, updated: 0 });
    await checkInAtKiosk("R0008");
    const events = await h.storedEvents("R0008");

    expect(await h.upsert([book("R0008", { state: itemPb.ItemState.MISSING })])).toEqual({ created: 0, updated: 0 });
    expect(await h.storedEvents("R0008")).toHaveLength(events.length);
    expect((await h.row("R0008"))?.state).toBe("available");

    expect(await h.upsert([book("R0008", { state: itemPb.ItemState.MISSING, title: "Found again" })])).toEqual({ created: 0, updated: 1 });
    expect(await h.row("R0008")).toMatchObject({ state: "available", title: "Found again" });
  });

  it("an item nothing happened to since its import still takes the record's state", async () => {
    expect(await h.upsert([book("R0009")])).toEqual({ created: 1, updated: 0 });
    expect(await h.upsert([book("R0009", { state: itemPb.ItemState.LOST })])).toEqual({ created: 0, updated: 1 });
    expect((await h.row("R0009"))?.state).toBe("lost");
  });
});

describe("item service: UpsertItems meeting a concurrent writer", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("a chunk whose item's stream moved while it was written is applied again one record at a time, on the new state", async () => {
    expect(await h.upsert([book("R0010")])).toEqual({ created: 1, updated: 0 });
    const [registered] = await h.storedEvents("R0010");
    // Another writer holds position 2 of R0010's stream, uncommitted, while the import reads version 1.
    const other = await h.service.db.startTransaction().execute();
    try {
      await appendToStream<ItemDatabase, Event>(other, itemStreamId({ institution: "MAIN", barcode: "R0010" }), 1, [{ type: registered!.type, data: registered!.data }]);
      const importing = h.upsert([book("R0011"), book("R0010", { title: "Changed meanwhile" })]);
      await blockedOnLock(h.database.url);
      await other.commit().execute();
      expect(await importing).toEqual({ created: 1, updated: 1 });
    } finally {
      await other.rollback().execute().catch(() => {});
    }
    expect((await h.storedEvents("R0010")).map((e) => e.streamPosition)).toEqual([1, 2, 3]);
    expect(await h.row("R0010")).toMatchObject({ title: "Changed meanwhile" });
    expect(await h.row("R0011")).toBeDefined();
  });
});
