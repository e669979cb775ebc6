import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { accepted, CTX, commandOf, context, itemSummary, money, refused, request, wire } from "./translate.fixtures.js";

const CHECKIN = "09N20250115    10300520250115    080000AP|AOMAIN|AB31234000067890|AC|";
const R = commands.RefusalReason;

function checkinAccepted(overrides: Partial<commands.CheckInItemAccepted> = {}) {
  return accepted({
    $case: "checkInItem",
    value: commands.CheckInItemAccepted.create({ loanId: "l1", item: itemSummary(), resensitize: true, ...overrides }),
  });
}

describe("09 Checkin → CheckInItem", () => {
  it("sends the item, the book-drop return date and the terminal's location when AP is empty", () => {
    const cmd = commandOf(translateRequest(request(CHECKIN), context({}, "MAIN-DROP")));
    if (cmd?.$case !== "checkInItem") throw new Error("wrong case");
    expect(cmd.value.item).toEqual({ institutionId: "MAIN", barcode: "31234000067890", ownInstitutionOnly: true });
    expect(cmd.value.returnDate?.toISOString()).toBe("2025-01-15T14:00:00.000Z");
    expect(cmd.value.currentLocation).toBe("MAIN-DROP");
  });

  it("keeps the kiosk's AP when it names one, and passes cancel and item properties", () => {
    const cmd = commandOf(translateRequest(request("09N20250115    103005                  APEAST-1|AOMAIN|AB3123|AC|CHdisc 2|BIY|"), CTX));
    if (cmd?.$case !== "checkInItem") throw new Error("wrong case");
    expect(cmd.value.currentLocation).toBe("EAST-1");
    expect(cmd.value.returnDate).toBeUndefined();
    expect(cmd.value.cancel).toBe(true);
    expect(cmd.value.itemProperties).toBe("disc 2");
  });
});

describe("10 Checkin Response", () => {
  it("renders a plain return: ok, resensitize, permanent location, title, borrower", () => {
    const out = wire(
      renderOutcome(
        request(CHECKIN),
        checkinAccepted({ borrower: { institutionId: "MAIN", barcode: "21234000012345" }, sortBin: "B1" }),
        CTX,
      ),
    );
    expect(out).toBe(
      "101YNN20250115    103100AOMAIN|AB31234000067890|AQMAIN-FIC|AJThe Hobbit|CLB1|AA21234000012345|CK001|CRFIC|CSFIC TOL|AFChecked in. Thank you.|",
    );
  });

  it("tells a sorter where a trapped item goes: alert, CV 02, CT pickup, CY/DA hold patron", () => {
    const hold = commands.TrappedHold.create({
      holdId: "h1",
      patron: { institutionId: "MAIN", barcode: "21234000099999" },
      patronName: "Smith, Jane",
      pickupLocation: "EAST",
      inTransit: true,
    });
    const out = wire(
      renderOutcome(request(CHECKIN), checkinAccepted({ alert: true, alertType: common.AlertType.REMOTE_HOLD, sortBin: "B2", hold }), CTX),
    );
    expect(out.slice(0, 6)).toBe("101YNY");
    expect(out).toContain("|CLB2|");
    expect(out).toContain("|CTEAST|CV02|CY21234000099999|DASmith, Jane|");
    expect(out).toContain("AFThis item is on hold for a patron. Please hand it to staff.|");
  });

  it("prefers the service's destination location and sends CV only with alert=Y", () => {
    const transit = wire(
      renderOutcome(
        request(CHECKIN),
        checkinAccepted({ alert: true, alertType: common.AlertType.TRANSIT, destinationLocation: "WEST" }),
        CTX,
      ),
    );
    expect(transit).toContain("|CTWEST|CV04|");
    const quiet = wire(renderOutcome(request(CHECKIN), checkinAccepted({ alert: false, alertType: common.AlertType.TRANSIT }), CTX));
    expect(quiet).not.toContain("|CV");
  });

  it("mentions an overdue fine charged by the return", () => {
    const fee = common.FeeNotice.create({ feeType: common.FeeType.OVERDUE, amount: money("USD", 75) });
    const out = wire(renderOutcome(request(CHECKIN), checkinAccepted({ fee }), CTX));
    expect(out).toContain("|AFA overdue charge of 0.75 USD applies.|");
  });

  describe("an item that was not on loan (no loan id, no borrower)", () => {
    const notOnLoan = (overrides: Partial<commands.CheckInItemAccepted> = {}) =>
      checkinAccepted({ loanId: "", alert: true, alertType: common.AlertType.OTHER, ...overrides });

    it("alert (the default): ok=1 with alert Y and CV 99, so staff look at it", () => {
      const out = wire(renderOutcome(request(CHECKIN), notOnLoan(), CTX));
      expect(out).toBe("101YNY20250115    103100AOMAIN|AB31234000067890|AQMAIN-FIC|AJThe Hobbit|CK001|CRFIC|CSFIC TOL|CV99|AFChecked in. Thank you.|");
    });

    it("refuse: ok=0 with alert Y and CV 99, so a sorter routes it to its exception bin; still resensitized", () => {
      const ctx = context({ checkinNotOnLoan: "refuse" });
      const out = wire(renderOutcome(request(CHECKIN, ctx), notOnLoan(), ctx), ctx);
      expect(out).toBe(
        "100YNY20250115    103100AOMAIN|AB31234000067890|AQMAIN-FIC|AJThe Hobbit|CK001|CRFIC|CSFIC TOL|CV99|AFThis item was not checked out. Please hand it to staff.|",
      );
    });

    it("refuse keeps a trapped hold's routing (CV 01, CT, CY/DA) on the ok=0 answer", () => {
      const ctx = context({ checkinNotOnLoan: "refuse" });
      const hold = commands.TrappedHold.create({ holdId: "h1", patron: { institutionId: "MAIN", barcode: "21234000099999" }, patronName: "Smith, Jane" });
      const out = wire(renderOutcome(request(CHECKIN, ctx), notOnLoan({ alertType: common.AlertType.LOCAL_HOLD, destinationLocation: "MAIN", hold }), ctx), ctx);
      expect(out.slice(0, 6)).toBe("100YNY");
      expect(out).toContain("|CTMAIN|CV01|CY21234000099999|DASmith, Jane|AFThis item is on hold for a patron. Please hand it to staff.|");
    });

    it("refuse leaves a real return and a cancelled checkout at ok=1", () => {
      const ctx = context({ checkinNotOnLoan: "refuse" });
      const returned = wire(renderOutcome(request(CHECKIN, ctx), checkinAccepted({ borrower: { institutionId: "MAIN", barcode: "2123" } }), ctx), ctx);
      expect(returned.slice(0, 6)).toBe("101YNN");
      const cancelled = wire(renderOutcome(request(CHECKIN, ctx), checkinAccepted({ cancellation: true }), ctx), ctx);
      expect(cancelled.slice(0, 3)).toBe("101");
    });
  });

  it("renders a refusal as ok=0 with alert=Y and CV 99 so a sorter diverts the item", () => {
    const out = wire(renderOutcome(request(CHECKIN), refused(R.ITEM_NOT_FOUND), CTX));
    expect(out).toBe("100NUY20250115    103100AOMAIN|AB31234000067890|AQ|CV99|AFItem not recognised. Please see staff.|");
  });

  it("uses the alert type a refusal carries", () => {
    const out = wire(renderOutcome(request(CHECKIN), refused(R.ITEM_WRONG_INSTITUTION, { alertType: common.AlertType.TRANSIT, item: itemSummary() }), CTX));
    expect(out).toContain("|AQMAIN-FIC|AJThe Hobbit|");
    expect(out).toContain("|CV04|");
  });

  it("answers a backend outage with a well-formed 10 that sends the item to staff", () => {
    const out = wire(renderUnavailable(request(CHECKIN), CTX, "unavailable"));
    expect(out).toBe("100NUY20250115    103100AOMAIN|AB31234000067890|AQ|CV99|AFSystem unavailable. Please see staff.|");
  });
});
