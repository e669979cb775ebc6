import { commands } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { accepted, CTX, commandOf, itemSummary, refused, request, wire } from "./translate.fixtures.js";

const RENEW_ALL = "6520250115    103005AOMAIN|AA21234000012345|ADpin1|BOY|";
const R = commands.RefusalReason;

const entry = (barcode: string, reason: commands.RefusalReason = R.UNSPECIFIED) =>
  commands.RenewAllEntry.create({ loanId: `l-${barcode}`, item: itemSummary({ item: { institutionId: "MAIN", barcode } }), reason });

describe("65 Renew All → RenewAll → 66", () => {
  it("sends patron, PIN and fee acknowledgement", () => {
    const cmd = commandOf(translateRequest(request(RENEW_ALL), CTX));
    if (cmd?.$case !== "renewAll") throw new Error("wrong case");
    expect(cmd.value).toEqual(commands.RenewAll.create({ patron: { institutionId: "MAIN", barcode: "21234000012345", ownInstitutionOnly: true }, pin: "pin1", feeAcknowledged: true }));
  });

  it("lists renewed (BM) and unrenewed (BN) items by barcode with their counts", () => {
    const outcome = accepted({
      $case: "renewAll",
      value: commands.RenewAllAccepted.create({ renewed: [entry("301"), entry("302")], unrenewed: [entry("303", R.RENEWAL_HOLD_PENDING)] }),
    });
    expect(wire(renderOutcome(request(RENEW_ALL), outcome, CTX))).toBe(
      "6610002000120250115    103100AOMAIN|BM301|BM302|BN303|AF2 renewed, 1 could not be renewed.|",
    );
  });

  it("says so when the patron has nothing on loan", () => {
    const outcome = accepted({ $case: "renewAll", value: commands.RenewAllAccepted.create() });
    expect(wire(renderOutcome(request(RENEW_ALL), outcome, CTX))).toBe("6610000000020250115    103100AOMAIN|AFYou have no items to renew.|");
  });

  it("refuses with ok=0 and zero counts", () => {
    expect(wire(renderOutcome(request(RENEW_ALL), refused(R.PATRON_PIN_INVALID), CTX))).toBe(
      "6600000000020250115    103100AOMAIN|AFIncorrect PIN. Please try again.|",
    );
    expect(wire(renderUnavailable(request(RENEW_ALL), CTX, "timeout")).slice(0, 11)).toBe("66000000000");
  });
});
