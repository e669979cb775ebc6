import { describe, expect, it } from "vitest";
import { aRecord, detailsUpdated, given, givenIn, givenRegistered, HOME, ITEM, MAIN_DESK, registered } from "../domain/item.fixtures.js";
import type { ItemRecord } from "../domain/item.record.js";
import { decideRegisterItem, decideUpdateItem } from "./register-item.decider.js";

const register = (record: ItemRecord, currentLocation: typeof HOME | null = null) =>
  ({ type: "RegisterItem", item: ITEM, record, currentLocation }) as const;
const update = (record: ItemRecord) => ({ type: "UpdateItem", item: ITEM, record }) as const;

describe("RegisterItem (import)", () => {
  it("registers a new item, available at home when no current location is given", () => {
    const d = decideRegisterItem(register(aRecord()), given());
    expect(d.events).toEqual([registered(aRecord(), HOME)]);
    expect(given(...d.events)).toMatchObject({ circulation: { state: "available" }, currentLocation: HOME, properties: null });
  });

  it("registers an item where the import says it is now", () => {
    expect(decideRegisterItem(register(aRecord(), MAIN_DESK), given()).events).toEqual([registered(aRecord(), MAIN_DESK)]);
  });

  it("is idempotent: the same record again emits nothing, whatever the item's state", () => {
    expect(decideRegisterItem(register(aRecord()), givenRegistered())).toMatchObject({ outcome: "accepted", events: [] });
    expect(decideRegisterItem(register(aRecord()), givenIn("on_loan"))).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("refuses to register an existing barcode with different data (that is an update)", () => {
    expect(decideRegisterItem(register(aRecord({ title: "Other" })), givenRegistered())).toMatchObject({
      outcome: "refused",
      reason: "item_already_registered",
    });
  });

  it("refuses an invalid record and says why", () => {
    const cases: [Partial<ItemRecord>, RegExp][] = [
      [{ itemType: "" }, /item type/],
      [{ owner: " " }, /owner/],
      [{ permanentLocation: "" }, /permanent location/],
      [{ mediaType: "1" as never }, /media type/],
      [{ securityMarker: "04" as never }, /security marker/],
      [{ lending: "sometimes" as never }, /lending/],
    ];
    for (const [overrides, why] of cases) {
      const d = decideRegisterItem(register(aRecord(overrides)), given());
      expect(d).toMatchObject({ outcome: "refused", reason: "invalid_record" });
      expect(d.outcome === "refused" && d.detail).toMatch(why);
    }
  });

  it("allows an empty title (SIP2 sends AJ| for it)", () => {
    expect(decideRegisterItem(register(aRecord({ title: "" })), given()).outcome).toBe("accepted");
  });
});

describe("UpdateItem (import)", () => {
  it("records the new record and names the changed fields", () => {
    const record = aRecord({ callNumber: "510 MEN", lending: "in_library_use" });
    expect(decideUpdateItem(update(record), givenRegistered())).toEqual({
      outcome: "accepted",
      events: [detailsUpdated(record)],
      data: { changed: ["callNumber", "lending"] },
    });
  });

  it("is idempotent: identical data emits nothing", () => {
    expect(decideUpdateItem(update(aRecord()), givenRegistered())).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("a new permanent location does not move the item", () => {
    const d = decideUpdateItem(update(aRecord({ permanentLocation: "annex" })), givenRegistered());
    const after = givenRegistered(...d.events);
    expect(after.record.permanentLocation).toBe("annex");
    expect(after.currentLocation).toEqual(HOME);
  });

  it("refuses an unknown item and an invalid record", () => {
    expect(decideUpdateItem(update(aRecord()), given())).toMatchObject({ outcome: "refused", reason: "item_not_found" });
    expect(decideUpdateItem(update(aRecord({ owner: "" })), givenRegistered())).toMatchObject({ reason: "invalid_record" });
  });
});
