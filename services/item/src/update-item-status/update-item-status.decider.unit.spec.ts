import { describe, expect, it } from "vitest";
import { given, givenRegistered, ITEM, propertiesUpdated } from "../domain/item.fixtures.js";
import { itemInformation } from "../get-item-information/item-information.js";
import { decideUpdateItemStatus } from "./update-item-status.decider.js";

const update19 = (properties: string) => ({ type: "UpdateItemStatus", item: ITEM, properties }) as const;

describe("19 Item Status Update", () => {
  it("stores the item properties and answers with them", () => {
    const d = decideUpdateItemStatus(update19("bin 4"), givenRegistered());
    expect(d).toEqual({
      outcome: "accepted",
      events: [propertiesUpdated("bin 4")],
      data: { properties: "bin 4" },
    });
    expect(givenRegistered(...d.events).properties).toBe("bin 4");
  });

  it("the stored properties appear in 18 as CH", () => {
    const state = givenRegistered(propertiesUpdated("bin 4"));
    expect(itemInformation(state).itemProperties).toBe("bin 4");
  });

  it("the same properties again change nothing", () => {
    const state = givenRegistered(propertiesUpdated("bin 4"));
    expect(decideUpdateItemStatus(update19("bin 4"), state)).toMatchObject({ outcome: "accepted", events: [] });
  });

  it("new properties replace the old ones; an empty value clears them", () => {
    const state = givenRegistered(propertiesUpdated("bin 4"));
    expect(decideUpdateItemStatus(update19("bin 5"), state).events).toEqual([propertiesUpdated("bin 5")]);
    expect(decideUpdateItemStatus(update19(""), state).events).toEqual([propertiesUpdated("")]);
  });

  it("refuses an unknown item (20 with ok = 0)", () => {
    expect(decideUpdateItemStatus(update19("x"), given())).toEqual({ outcome: "refused", reason: "item_not_found", events: [] });
  });
});
