import { describe, expect, it } from "vitest";
import { aRecord, given, givenIn, givenRegistered, HOME, MAIN_DESK, registered, returnedAt } from "../domain/item.fixtures.js";
import { itemInformation, unknownItemInformation } from "./item-information.js";

const due = new Date("2025-07-01T21:59:59Z");
const pickupBy = new Date("2025-06-20T21:59:59Z");

describe("item information (17 → 18)", () => {
  it("an unknown item is 010101 (other / none / other-unknown) with an empty title", () => {
    expect(itemInformation(given())).toEqual(unknownItemInformation());
    expect(unknownItemInformation()).toEqual({
      found: false,
      circulationStatus: "01",
      securityMarker: "01",
      feeType: "01",
      title: "",
    });
  });

  it("a known item reports its record: title, security marker, owner, media type, locations", () => {
    const info = itemInformation(givenRegistered(returnedAt(MAIN_DESK)));
    expect(info).toMatchObject({
      found: true,
      circulationStatus: "03",
      securityMarker: "02",
      feeType: "01",
      title: "Sketch of the Analytical Engine",
      owner: "main",
      mediaType: "001",
      permanentLocation: HOME,
      currentLocation: MAIN_DESK,
    });
    expect(info.itemProperties).toBeUndefined();
    expect(info.dueDate).toBeUndefined();
  });

  it("a charged item reports the loan's due date and recall date", () => {
    const recall = new Date("2025-06-25T10:00:00Z");
    const info = itemInformation(givenIn("on_loan"), { loan: { onLoan: true, dueDate: due, recallDate: recall } });
    expect(info).toMatchObject({ circulationStatus: "07", dueDate: due, recallDate: recall });
  });

  it("no due date once the loan service says the loan is closed", () => {
    expect(itemInformation(givenIn("on_loan"), { loan: { onLoan: false, dueDate: due } }).dueDate).toBeUndefined();
  });

  it("reports the hold queue length and, while it waits on the shelf, the pickup date", () => {
    const info = itemInformation(givenIn("on_hold_shelf"), { hold: { queueLength: 3, waitingOnShelf: true, pickupDate: pickupBy } });
    expect(info).toMatchObject({ circulationStatus: "08", holdQueueLength: 3, holdPickupDate: pickupBy });
    const notWaiting = itemInformation(givenIn("available"), { hold: { queueLength: 2, waitingOnShelf: false, pickupDate: pickupBy } });
    expect(notWaiting.holdQueueLength).toBe(2);
    expect(notWaiting.holdPickupDate).toBeUndefined();
  });

  it("reports a usage fee from the fee service with its type, amount and currency", () => {
    const info = itemInformation(givenIn("available"), { fee: { feeType: "06", amount: 150, currency: "EUR" } });
    expect(info).toMatchObject({ feeType: "06", fee: { amount: 150, currency: "EUR" } });
  });

  it("reports the security marker of the record (none for an unprotected item)", () => {
    const state = given(registered(aRecord({ securityMarker: "01" })));
    expect(itemInformation(state).securityMarker).toBe("01");
  });
});
