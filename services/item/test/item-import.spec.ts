import { common, item as itemPb } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { book, ItemHarness } from "./support.js";

const h = new ItemHarness();

describe("item service: UpsertItems (admin import), GetItem and GetItems over gRPC", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("UpsertItems is idempotent: the same records twice make one item, the second run changes nothing", async () => {
    const records = [book("I0001"), book("I0002")];
    expect(await h.upsert(records)).toEqual({ created: 2, updated: 0 });
    const events = await h.storedEvents("I0001");
    expect(await h.upsert(records)).toEqual({ created: 0, updated: 0 });
    expect(await h.storedEvents("I0001")).toHaveLength(events.length);
    const rows = await h.service.db.selectFrom("items").select("item_id").where("barcode", "=", "I0001").execute();
    expect(rows).toHaveLength(1);
  });

  it("UpsertItems applies changed fields to a known barcode and keeps its internal id", async () => {
    const before = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0002" } } });
    expect(await h.upsert([book("I0002", { title: "Second edition", callNumber: "" })])).toEqual({ created: 0, updated: 1 });
    const after = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0002" } } });
    expect(after).toMatchObject({ itemId: before?.itemId, title: "Second edition", callNumber: "" });
    expect((await h.storedEvents("I0002")).at(-1)).toMatchObject({ type: "ItemDetailsUpdated", data: { title: "Second edition" } });
  });

  it("UpsertItems imports the demo library's states: missing, on loan, on the hold shelf, non-circulating", async () => {
    await h.upsert([
      book("I0004", { circulating: false, itemType: "REFERENCE" }),
      book("I0005", { state: itemPb.ItemState.ON_LOAN }),
      book("I0006", { state: itemPb.ItemState.ON_HOLD_SHELF, currentLocation: "HOLDS" }),
      book("I0008", { state: itemPb.ItemState.MISSING }),
    ]);
    expect((await h.row("I0005"))?.state).toBe("on_loan");
    expect(await h.row("I0006")).toMatchObject({ state: "on_hold_shelf", current_location: "HOLDS" });
    expect((await h.row("I0008"))?.state).toBe("missing");
    expect((await h.storedEvents("I0008")).map((e) => e.type)).toEqual(["ItemRegistered", "ItemMarkedMissing"]);
    const reference = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0004" } } });
    expect(reference).toMatchObject({ circulating: false, itemType: "REFERENCE" });
    // Loans and holds belong to their services: peers read item-level states only.
    const onLoan = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0005" } } });
    expect(onLoan?.state).toBe(itemPb.ItemState.AVAILABLE);
    const missing = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0008" } } });
    expect(missing?.state).toBe(itemPb.ItemState.MISSING);
  });

  it("UpsertItems refuses an invalid record with INVALID_ARGUMENT naming it, and applies none of the batch", async () => {
    const err = await h.upsert([book("I0030"), book("I0031", { itemType: "" })]).catch((e: grpc.ServiceError) => e);
    expect(err).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    expect((err as grpc.ServiceError).details).toMatch(/items\[1\] \(MAIN\/I0031\): item type is empty/);
    expect(await h.row("I0030")).toBeUndefined();
  });

  it("UpsertItems refuses a state the transition rules forbid with FAILED_PRECONDITION (an item on loan is not made missing)", async () => {
    const err = await h.upsert([book("I0005", { state: itemPb.ItemState.MISSING })]).catch((e: grpc.ServiceError) => e);
    expect(err).toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
    expect((err as grpc.ServiceError).details).toMatch(/MAIN\/I0005: item_on_loan/);
    expect((await h.row("I0005"))?.state).toBe("on_loan");
  });

  it("GetItem finds an item by internal id, and answers no item for an unknown barcode", async () => {
    const byBarcode = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0001" } } });
    const byId = await h.getItem({ key: { $case: "itemId", value: byBarcode!.itemId } });
    expect(byId).toEqual(byBarcode);
    expect(byId).toMatchObject({
      item: { institutionId: "MAIN", barcode: "I0001" },
      titleId: "T-I0001",
      mediaType: common.MediaType.BOOK,
      securityMarker: common.SecurityMarker.TATTLE_TAPE,
      permanentLocation: "STACKS",
      currentLocation: "STACKS",
      currentInstitutionId: "MAIN",
      owner: "MAIN",
      circulating: true,
    });
    expect(await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "NOPE" } } })).toBeUndefined();
    const err = await h.getItem({}).catch((e: grpc.ServiceError) => e);
    expect(err).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });

  it("GetItem finds another consortium member's item by its barcode (a MAIN kiosk scans an EAST item)", async () => {
    await h.upsert([book("I0010", { item: { institutionId: "EAST", barcode: "I0010" }, owner: "EAST" })]);
    const found = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0010" } } });
    expect(found?.item).toEqual({ institutionId: "EAST", barcode: "I0010" });
  });

  it("GetItem keeps to the named institution when the ref says own institution only (a terminal that may not see EAST)", async () => {
    await h.upsert([book("I0010", { item: { institutionId: "EAST", barcode: "I0010" }, owner: "EAST" })]);
    const mainOnly = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0010", ownInstitutionOnly: true } } });
    expect(mainOnly?.item).toBeUndefined();
    const items = await h.getItems({ items: [{ institutionId: "MAIN", barcode: "I0010", ownInstitutionOnly: true }], itemIds: [] });
    expect(items).toEqual([]);
    const eastOnly = await h.getItem({ key: { $case: "item", value: { institutionId: "EAST", barcode: "I0010", ownInstitutionOnly: true } } });
    expect(eastOnly?.item).toEqual({ institutionId: "EAST", barcode: "I0010" });
  });

  it("GetItems answers several items in one call, by barcode and by id, leaving unknown ones out", async () => {
    const one = await h.getItem({ key: { $case: "item", value: { institutionId: "MAIN", barcode: "I0001" } } });
    const items = await h.getItems({
      items: [
        { institutionId: "MAIN", barcode: "I0002" },
        { institutionId: "MAIN", barcode: "NOPE" },
      ],
      itemIds: [one!.itemId, "no-such-id"],
    });
    expect(items.map((i) => i.item?.barcode).sort()).toEqual(["I0001", "I0002"]);
  });
});
