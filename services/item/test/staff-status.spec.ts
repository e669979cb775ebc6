import { common, item as itemPb } from "@circulate/contracts";
import { eventStreamName } from "@circulate/service";
import { accepted, publishedEvent } from "@circulate/service/testing";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { book, ItemHarness } from "./support.js";

const h = new ItemHarness();
const MAIN = (barcode: string) => ({ institutionId: "MAIN", barcode });
const S = itemPb.StaffItemStatus;

describe("SetItemStatus: staff mark items missing and found, recorded with who and why", () => {
  beforeAll(async () => {
    await h.start();
    await h.upsert([book("M001"), book("M002"), book("M003"), book("M004")]);
  });
  afterAll(() => h.stop());

  const published = async (eventId: string) => publishedEvent(await h.jsm(), eventStreamName(h.nats.streamPrefix, "item"), eventId);

  it("missing: ItemMarkedMissing with the staff member and reason, carrying the item after it; 17 says missing; again records nothing", async () => {
    const item = await h.setItemStatus({ item: MAIN("M001"), status: S.MISSING, staff: "jdoe", reason: "not on the shelf at inventory" });
    expect(item).toMatchObject({ state: itemPb.ItemState.MISSING });
    const [, marked] = await h.storedEvents("M001");
    expect(marked).toMatchObject({ type: "ItemMarkedMissing", data: { staff: "jdoe", note: "not on the shelf at inventory" } });
    const out = await published(marked!.eventId);
    expect(out.event).toMatchObject({ type: "ItemMarkedMissing", event: { staff: "jdoe", current: { state: itemPb.ItemState.MISSING } } });
    const info = accepted(await h.getItemInformation("M001"), "getItemInformation");
    expect(info.circulationStatus).toBe(common.CirculationStatus.MISSING);

    await h.setItemStatus({ item: MAIN("M001"), status: S.MISSING, staff: "asmith", reason: "still not there" });
    expect(await h.storedEvents("M001")).toHaveLength(2);
  });

  it("found where it was last recorded: ItemFound, available again, with the item after it for peers' copies", async () => {
    await h.setItemStatus({ item: MAIN("M002"), status: S.MISSING, staff: "jdoe", reason: "inventory" });
    const item = await h.setItemStatus({ item: MAIN("M002"), status: S.FOUND, staff: "asmith", reason: "behind the shelf" });
    expect(item).toMatchObject({ state: itemPb.ItemState.AVAILABLE, currentLocation: "STACKS" });
    const found = (await h.storedEvents("M002")).at(-1)!;
    expect(found).toMatchObject({
      type: "ItemFound",
      data: { staff: "asmith", note: "behind the shelf", previousState: "ITEM_STATE_MISSING", location: "STACKS", institutionId: "MAIN" },
    });
    const out = await published(found.eventId);
    expect(out.event).toMatchObject({ type: "ItemFound", event: { current: { state: itemPb.ItemState.AVAILABLE, currentLocation: "STACKS" } } });
    expect(await h.row("M002")).toMatchObject({ state: "available" });

    await h.setItemStatus({ item: MAIN("M002"), status: S.FOUND, staff: "asmith", reason: "again" });
    expect((await h.storedEvents("M002")).at(-1)!.eventId).toBe(found.eventId);
  });

  it("found at another institution: in transit home, as after a return there", async () => {
    await h.setItemStatus({ item: MAIN("M003"), status: S.MISSING, staff: "jdoe", reason: "inventory" });
    const item = await h.setItemStatus({ item: MAIN("M003"), status: S.FOUND, staff: "asmith", reason: "turned up at North", location: "DESK", institutionId: "NORTH" });
    expect(item).toMatchObject({ state: itemPb.ItemState.IN_TRANSIT, inTransitTo: "STACKS", inTransitToInstitutionId: "MAIN", currentInstitutionId: "NORTH" });
    expect((await h.storedEvents("M003")).slice(-2).map((e) => e.type)).toEqual(["ItemFound", "ItemTransitStarted"]);
  });

  it("refuses what the rules do not allow: FAILED_PRECONDITION for an item not missing, NOT_FOUND for an unknown barcode, INVALID_ARGUMENT without staff, reason or status; nothing recorded", async () => {
    const before = (await h.storedEvents("M004")).length;
    const code = (p: Promise<unknown>) => p.then(() => grpc.status.OK, (err: grpc.ServiceError) => err.code);
    expect(await code(h.setItemStatus({ item: MAIN("M004"), status: S.FOUND, staff: "jdoe", reason: "x" }))).toBe(grpc.status.OK);
    await h.upsert([book("M005", { state: itemPb.ItemState.LOST })]);
    expect(await code(h.setItemStatus({ item: MAIN("M005"), status: S.FOUND, staff: "jdoe", reason: "x" }))).toBe(grpc.status.FAILED_PRECONDITION);
    expect(await code(h.setItemStatus({ item: MAIN("M005"), status: S.MISSING, staff: "jdoe", reason: "x" }))).toBe(grpc.status.FAILED_PRECONDITION);
    expect(await code(h.setItemStatus({ item: MAIN("NOPE"), status: S.MISSING, staff: "jdoe", reason: "x" }))).toBe(grpc.status.NOT_FOUND);
    expect(await code(h.setItemStatus({ item: MAIN("M004"), status: S.MISSING, staff: " ", reason: "x" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.setItemStatus({ item: MAIN("M004"), status: S.MISSING, staff: "jdoe", reason: "" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.setItemStatus({ item: MAIN("M004"), status: S.UNSPECIFIED, staff: "jdoe", reason: "x" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await h.storedEvents("M004")).toHaveLength(before);
  });
});
