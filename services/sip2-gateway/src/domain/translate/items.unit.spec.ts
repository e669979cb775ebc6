import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { accepted, CTX, commandOf, itemSummary, money, refused, request, wire } from "./translate.fixtures.js";

const INFO = "1720250115    103005AOMAIN|AB31234000067890|AC|";
const UPDATE = "1920250115    103005AOMAIN|AB31234000067890|AC|CHdisc 1 of 2|";
const R = commands.RefusalReason;

describe("17 Item Information → GetItemInformation → 18", () => {
  it("sends the item in the terminal's institution", () => {
    const cmd = commandOf(translateRequest(request(INFO), CTX));
    expect(cmd?.$case === "getItemInformation" && cmd.value.item).toEqual({ institutionId: "MAIN", barcode: "31234000067890", ownInstitutionOnly: true });
  });

  it("renders a loaned item: circulation status, security marker, hold queue length, due date, locations", () => {
    const outcome = accepted({
      $case: "getItemInformation",
      value: commands.GetItemInformationAccepted.create({
        item: itemSummary({ owner: "MAIN", currentLocation: "MAIN-FIC", properties: "disc 1" }),
        circulationStatus: common.CirculationStatus.CHARGED,
        securityMarker: common.SecurityMarker.TATTLE_TAPE,
        holdQueueLength: 2,
        dueAt: new Date("2025-02-05T05:59:59Z"),
      }),
    });
    expect(wire(renderOutcome(request(INFO), outcome, CTX))).toBe(
      "1804020120250115    103100CF2|AH20250204    235959|AB31234000067890|AJThe Hobbit|BGMAIN|CK001|AQMAIN-FIC|APMAIN-FIC|CHdisc 1|CRFIC|CSFIC TOL|",
    );
  });

  it("renders recall and hold-shelf dates, a borrowing fee and the transit destination", () => {
    const outcome = accepted({
      $case: "getItemInformation",
      value: commands.GetItemInformationAccepted.create({
        item: itemSummary(),
        circulationStatus: common.CirculationStatus.WAITING_ON_HOLD_SHELF,
        securityMarker: common.SecurityMarker.NONE,
        feeType: common.FeeType.RENTAL,
        fee: money("USD", 100),
        recallAt: new Date("2025-01-20T18:00:00Z"),
        holdPickupBy: new Date("2025-01-22T18:00:00Z"),
        destinationLocation: "EAST",
      }),
    });
    const out = wire(renderOutcome(request(INFO), outcome, CTX));
    expect(out.slice(0, 8)).toBe("18080106");
    expect(out).toContain("CF0|CJ20250120    120000|CM20250122    120000|");
    expect(out).toContain("|BHUSD|BV1.00|");
    expect(out).toContain("|CTEAST|");
  });

  it("renders an unknown item as 010101 with an empty title", () => {
    expect(wire(renderOutcome(request(INFO), refused(R.ITEM_NOT_FOUND), CTX))).toBe(
      "1801010120250115    103100AB31234000067890|AJ|AFItem not recognised. Please see staff.|",
    );
  });

  it("answers an outage with a well-formed 18", () => {
    expect(wire(renderUnavailable(request(INFO), CTX, "unavailable"))).toBe(
      "1801010120250115    103100AB31234000067890|AJ|AFSystem unavailable. Please see staff.|",
    );
  });
});

describe("19 Item Status Update → UpdateItemStatus → 20", () => {
  it("sends the properties to store", () => {
    const cmd = commandOf(translateRequest(request(UPDATE), CTX));
    expect(cmd?.$case === "updateItemStatus" && cmd.value.itemProperties).toBe("disc 1 of 2");
  });

  it("answers item properties ok = 1 with the stored properties, 0 on refusal", () => {
    const outcome = accepted({ $case: "updateItemStatus", value: { item: itemSummary({ properties: "disc 1 of 2" }) } });
    expect(wire(renderOutcome(request(UPDATE), outcome, CTX))).toBe(
      "20120250115    103100AB31234000067890|AJThe Hobbit|CHdisc 1 of 2|",
    );
    expect(wire(renderOutcome(request(UPDATE), refused(R.ITEM_NOT_FOUND), CTX)).slice(0, 3)).toBe("200");
  });
});
