import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, translateRequest } from "./index.js";
import { accepted, answerOf, CTX, commandOf, context, itemSummary, money, NOW, refused, request, wire } from "./translate.fixtures.js";

const CHECKOUT = "11YN20250115    103005                  AOEAST|AA21234000012345|AB31234000067890|AC|ADpin1|";
const DUE = new Date("2025-02-05T05:59:59Z"); // 2025-02-04 23:59:59 in Chicago
const R = commands.RefusalReason;

function checkoutAccepted(overrides: Partial<commands.CheckOutItemAccepted> = {}) {
  return accepted({
    $case: "checkOutItem",
    value: commands.CheckOutItemAccepted.create({ loanId: "l1", patronId: "p1", item: itemSummary(), dueAt: DUE, desensitize: true, ...overrides }),
  });
}

describe("11 Checkout → CheckOutItem", () => {
  it("names patron and item in the terminal's institution, not the kiosk's AO", () => {
    const cmd = commandOf(translateRequest(request(CHECKOUT), CTX));
    expect(cmd?.$case).toBe("checkOutItem");
    if (cmd?.$case !== "checkOutItem") return;
    expect(cmd.value.patron).toEqual({ institutionId: "MAIN", barcode: "21234000012345", ownInstitutionOnly: true });
    expect(cmd.value.item).toEqual({ institutionId: "MAIN", barcode: "31234000067890", ownInstitutionOnly: true });
    expect(cmd.value.pin).toBe("pin1");
    expect(cmd.value.noBlock).toBe(false);
    expect(cmd.value.cancel).toBe(false);
  });

  it("a consortium account leaves the refs open to other members' patrons and items", () => {
    const cmd = commandOf(translateRequest(request(CHECKOUT), context({ resolution: "consortium" })));
    if (cmd?.$case !== "checkOutItem") throw new Error("wrong case");
    expect(cmd.value.patron).toEqual({ institutionId: "MAIN", barcode: "21234000012345" });
    expect(cmd.value.item).toEqual({ institutionId: "MAIN", barcode: "31234000067890" });
  });

  it("carries the kiosk's transaction time read in the terminal's zone", () => {
    const t = translateRequest(request(CHECKOUT), CTX);
    expect(t.kind === "command" && t.terminalTime?.toISOString()).toBe("2025-01-15T16:30:05.000Z");
  });

  it("allows a renewal by checkout only when the kiosk's policy, the account's policy and the renew permission all allow it", () => {
    const allowed = (text: string, ctx = CTX) => {
      const cmd = commandOf(translateRequest(request(text), ctx));
      return cmd?.$case === "checkOutItem" && cmd.value.renewalAllowed;
    };
    expect(allowed(CHECKOUT)).toBe(true);
    expect(allowed(CHECKOUT.replace(/^11Y/, "11N"))).toBe(false);
    expect(allowed(CHECKOUT, context({ renewalPolicy: false }))).toBe(false);
    expect(allowed(CHECKOUT, context({ permissions: new Set(["checkout", "checkin"]) }))).toBe(false);
  });

  it("sends no PIN when AD is empty", () => {
    const cmd = commandOf(translateRequest(request(CHECKOUT.replace("ADpin1|", "AD|")), CTX));
    expect(cmd?.$case === "checkOutItem" && cmd.value.pin).toBeUndefined();
  });

  it("passes a no-block checkout with the kiosk's due date", () => {
    const text = "11YY20250115    10300520250201    120000AOMAIN|AA2123|AB3123|AC|";
    const cmd = commandOf(translateRequest(request(text), CTX));
    if (cmd?.$case !== "checkOutItem") throw new Error("wrong case");
    expect(cmd.value.noBlock).toBe(true);
    expect(cmd.value.noBlockDueDate?.toISOString()).toBe("2025-02-01T18:00:00.000Z");
  });

  it("sends a cancel without a patron (a return session may not know the borrower)", () => {
    const cmd = commandOf(translateRequest(request("11NN20250115    103005                  AOMAIN|AA|AB3123|AC|BIY|"), CTX));
    if (cmd?.$case !== "checkOutItem") throw new Error("wrong case");
    expect(cmd.value.cancel).toBe(true);
    expect(cmd.value.patron).toBeUndefined();
  });

  it("refuses locally, with a 12, a checkout without an item or a patron", () => {
    for (const text of ["11NN20250115    103005                  AOMAIN|AA2123|AB|AC|", "11NN20250115    103005                  AOMAIN|AA|AB3123|AC|"]) {
      const out = wire(answerOf(translateRequest(request(text), CTX)));
      expect(out.startsWith("120NUN20250115    103100")).toBe(true);
      expect(out).toContain("|AJ|AH|");
      expect(out).toContain("AFRequest not understood. Please see staff.|");
    }
  });
});

describe("12 Checkout Response", () => {
  it("renders a loan: ok, flags, title, due date in the terminal's zone, media type", () => {
    const out = wire(renderOutcome(request(CHECKOUT), checkoutAccepted(), CTX));
    expect(out).toBe(
      "121NNY20250115    103100AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AH20250204    235959|CK001|AFChecked out.|",
    );
  });

  it("writes the due date in UTC marked Z for a dueDateFormat utc account, the rest unchanged", () => {
    const utc = context({ dueDateFormat: "utc" });
    const out = wire(renderOutcome(request(CHECKOUT, utc), checkoutAccepted(), utc), utc);
    expect(out).toBe(
      "121NNY20250115    103100AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AH20250205   Z055959|CK001|AFChecked out.|",
    );
  });

  it("says renewal ok when the checkout renewed the patron's own loan", () => {
    const out = wire(renderOutcome(request(CHECKOUT), checkoutAccepted({ renewal: true }), CTX));
    expect(out.slice(0, 6)).toBe("121YNY");
    expect(out).toContain("AFYou already had this item: it has been renewed.|");
  });

  it("sends U for magnetic media and desensitize when the service does not know", () => {
    const out = wire(renderOutcome(request(CHECKOUT), checkoutAccepted({ item: itemSummary({ magneticMedia: undefined }), desensitize: undefined }), CTX));
    expect(out.slice(0, 6)).toBe("121NUU");
  });

  it("shows a rental fee (BT/BH/BV/BK) and the security inhibit flag", () => {
    const fee = common.FeeNotice.create({ feeType: common.FeeType.RENTAL, amount: money("USD", 150), transactionId: "t-9" });
    const out = wire(renderOutcome(request(CHECKOUT), checkoutAccepted({ fee, securityInhibit: true }), CTX));
    expect(out).toContain("|BT06|CIY|BHUSD|BV1.50|CK001|BKt-9|");
  });

  it("renders a refusal as ok=0, desensitize N, empty AH, the title when known, and a catalog message", () => {
    const out = wire(renderOutcome(request(CHECKOUT), refused(R.ITEM_ON_HOLD_FOR_OTHER, { item: itemSummary(), dueAt: DUE }), CTX));
    expect(out).toBe(
      "120NNN20250115    103100AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AH|CK001|AFThis item is on hold for another patron.|",
    );
  });

  it("asks for the fee to be acknowledged with BT/BV/BH", () => {
    const fee = common.FeeNotice.create({ feeType: common.FeeType.RENTAL, amount: money("EUR", 200) });
    const out = wire(renderOutcome(request(CHECKOUT), refused(R.FEE_ACKNOWLEDGEMENT_REQUIRED, { fee }), CTX));
    expect(out).toContain("|BT06|BHEUR|BV2.00|");
    expect(out).toContain("AFA fee applies. Please accept it to continue.|");
  });

  it("never shows the refusal's internal detail", () => {
    const out = wire(renderOutcome(request(CHECKOUT), refused(R.INTERNAL_ERROR), CTX));
    expect(out).not.toContain("SECRET");
    expect(out).toContain("AFSorry, something went wrong. Please see staff.|");
  });

  it("answers an accepted payload for another command as an internal error, not a success", () => {
    const wrong = accepted({ $case: "renewItem", value: commands.RenewItemAccepted.create({ dueAt: DUE }) });
    expect(wire(renderOutcome(request(CHECKOUT), wrong, CTX)).slice(0, 3)).toBe("120");
  });

  it("writes the due date in the terminal's zone (not UTC, not the host's)", () => {
    const oslo = context({ timeZone: "Europe/Oslo" });
    const out = wire(renderOutcome(request(CHECKOUT, oslo), checkoutAccepted(), oslo), oslo);
    expect(out).toContain("|AH20250205    065959|");
    expect(out.slice(6, 24)).toBe("20250115    173100");
  });
});

const RENEW = "29NN20250115    103005                  AOMAIN|AA21234000012345|ADpin1|AB31234000067890|";

describe("29 Renew → RenewItem → 30", () => {
  it("sends the item by barcode, or by title when no barcode was given", () => {
    const byItem = commandOf(translateRequest(request(RENEW), CTX));
    if (byItem?.$case !== "renewItem") throw new Error("wrong case");
    expect(byItem.value.item?.barcode).toBe("31234000067890");
    expect(byItem.value.titleIdentifier).toBe("");
    expect(byItem.value.thirdPartyAllowed).toBe(false);
    const byTitle = commandOf(translateRequest(request("29YN20250115    103005                  AOMAIN|AA2123|AJThe Hobbit|"), CTX));
    if (byTitle?.$case !== "renewItem") throw new Error("wrong case");
    expect(byTitle.value.item).toBeUndefined();
    expect(byTitle.value.titleIdentifier).toBe("The Hobbit");
    expect(byTitle.value.thirdPartyAllowed).toBe(true);
  });

  it("refuses locally a renew naming neither item nor title", () => {
    const out = wire(answerOf(translateRequest(request("29NN20250115    103005                  AOMAIN|AA2123|"), CTX)));
    expect(out.slice(0, 3)).toBe("300");
  });

  it("renders a renewal with renewal ok and the new due date", () => {
    const outcome = accepted({ $case: "renewItem", value: commands.RenewItemAccepted.create({ item: itemSummary(), dueAt: DUE, desensitize: true }) });
    expect(wire(renderOutcome(request(RENEW), outcome, CTX))).toBe(
      "301YNY20250115    103100AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AH20250204    235959|CK001|AFRenewed.|",
    );
  });

  it("keeps the patron's current due date in AH when a renewal is refused", () => {
    const out = wire(renderOutcome(request(RENEW), refused(R.RENEWAL_LIMIT_REACHED, { item: itemSummary(), dueAt: DUE }), CTX));
    expect(out.slice(0, 6)).toBe("300NNN");
    expect(out).toContain("|AH20250204    235959|");
    expect(out).toContain("AFThis item cannot be renewed again.|");
  });

  it("does not show another patron's due date", () => {
    const out = wire(renderOutcome(request(RENEW), refused(R.RENEWAL_THIRD_PARTY_NOT_ALLOWED, { dueAt: DUE }), CTX));
    expect(out).toContain("|AJ|AH|");
  });

  it("is stamped with the moment the gateway received the request", () => {
    const out = wire(renderOutcome(request(RENEW), refused(R.NOT_ON_LOAN), { ...CTX, now: new Date(NOW.getTime() + 60_000) }));
    expect(out.slice(6, 24)).toBe("20250115    103200");
  });
});
