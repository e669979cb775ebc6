import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { accepted, CTX, commandOf, money, refused, request, wire } from "./translate.fixtures.js";

const STATUS = "2300120250115    103005AOMAIN|AA21234000012345|AC|ADpin1|";
const R = commands.RefusalReason;

function standing(overrides: Partial<common.PatronStanding> = {}): common.PatronStanding {
  return common.PatronStanding.create({
    patronId: "p1",
    patron: { institutionId: "MAIN", barcode: "21234000012345" },
    name: "Doe, John",
    status: common.PatronStatusFlags.create(),
    language: common.Language.ENGLISH,
    validPatron: true,
    pinValid: true,
    feesOwed: money("USD", 1234),
    ...overrides,
  });
}

const statusOutcome = (s: common.PatronStanding) => accepted({ $case: "getPatronStatus", value: commands.GetPatronStatusAccepted.create({ standing: s }) });

describe("23 Patron Status → GetPatronStatus → 24", () => {
  it("sends patron, PIN and language", () => {
    const cmd = commandOf(translateRequest(request(STATUS), CTX));
    if (cmd?.$case !== "getPatronStatus") throw new Error("wrong case");
    expect(cmd.value).toEqual(
      commands.GetPatronStatus.create({
        patron: { institutionId: "MAIN", barcode: "21234000012345", ownInstitutionOnly: true },
        pin: "pin1",
        language: common.Language.ENGLISH,
      }),
    );
  });

  it("treats the empty AD a kiosk must send as no PIN", () => {
    const cmd = commandOf(translateRequest(request("2300020250115    103005AOMAIN|AA2123|AC|AD|"), CTX));
    expect(cmd?.$case === "getPatronStatus" && cmd.value.pin).toBeUndefined();
  });

  it("renders a patron in good standing: 14 blanks, language, name, BL/CQ, BH/BV", () => {
    expect(wire(renderOutcome(request(STATUS), statusOutcome(standing()), CTX))).toBe(
      "24              00120250115    103100AOMAIN|AA21234000012345|AEDoe, John|BLY|CQY|BHUSD|BV12.34|",
    );
  });

  it("puts each of the 14 flags at its SIP2 position", () => {
    const flags = common.PatronStatusFlags.create({
      chargePrivilegesDenied: true,
      cardReportedLost: true,
      tooManyItemsOverdue: true,
      excessiveOutstandingFines: true,
      tooManyItemsBilled: true,
    });
    const out = wire(renderOutcome(request(STATUS), statusOutcome(standing({ status: flags })), CTX));
    expect(out.slice(2, 16)).toBe("Y   Y Y   Y  Y");
  });

  it("answers a wrong PIN with CQ=N and a screen message (the query itself is accepted)", () => {
    const out = wire(renderOutcome(request(STATUS), statusOutcome(standing({ pinValid: false })), CTX));
    expect(out).toContain("|BLY|CQN|");
    expect(out).toContain("AFIncorrect PIN. Please try again.|");
  });

  it("says a locked PIN is locked (CQ=N, the lock-out message), never 'try again', whatever PIN was sent", () => {
    const out = wire(renderOutcome(request(STATUS), statusOutcome(standing({ pinValid: false, pinLocked: true })), CTX));
    expect(out).toContain("|BLY|CQN|");
    expect(out).toContain("AFToo many incorrect PINs. Please see staff.|");
    expect(out).not.toContain("Incorrect PIN. Please try again.");
  });

  it("says a PIN is locked even when no PIN was sent (CQ left out)", () => {
    const out = wire(renderOutcome(request(STATUS), statusOutcome(standing({ pinValid: undefined, pinLocked: true })), CTX));
    expect(out).not.toContain("|CQ");
    expect(out).toContain("AFToo many incorrect PINs. Please see staff.|");
  });

  it("leaves CQ out when no PIN was checked, and BH/BV out when fees are unknown", () => {
    const out = wire(renderOutcome(request(STATUS), statusOutcome(standing({ pinValid: undefined, feesOwed: undefined })), CTX));
    expect(out).not.toContain("|CQ");
    expect(out).not.toContain("|BV");
  });

  it("echoes the request's language when the patron's is unknown", () => {
    const out = wire(renderOutcome(request(STATUS.replace("23001", "23003")), statusOutcome(standing({ language: common.Language.UNSPECIFIED })), CTX));
    expect(out.slice(16, 19)).toBe("003");
  });

  it("renders an unknown patron as Koha does: YYYY, empty name, BL=N", () => {
    const unknown = standing({ patronId: "", name: "", status: common.PatronStatusFlags.create({ chargePrivilegesDenied: true, renewalPrivilegesDenied: true, recallPrivilegesDenied: true, holdPrivilegesDenied: true }), validPatron: false, pinValid: undefined, feesOwed: undefined, language: common.Language.UNSPECIFIED });
    expect(wire(renderOutcome(request(STATUS), refused(R.PATRON_NOT_FOUND, { patron: unknown }), CTX))).toBe(
      "24YYYY          00120250115    103100AOMAIN|AA21234000012345|AE|BLN|AFCard not recognised. Please see staff.|",
    );
  });

  it("still says BL=N for an unknown patron when the refusal carries no standing", () => {
    const out = wire(renderOutcome(request(STATUS), refused(R.PATRON_NOT_FOUND), CTX));
    expect(out.slice(0, 6)).toBe("24YYYY");
    expect(out).toContain("|BLN|");
  });

  it("denies every privilege and claims nothing about validity when the backend is down", () => {
    const out = wire(renderUnavailable(request(STATUS), CTX, "timeout"));
    expect(out).toBe("24YYYY          00120250115    103100AOMAIN|AA21234000012345|AE|AFSystem busy. Please try again.|");
  });
});

describe("01 Block Patron → BlockPatron → 24", () => {
  const BLOCK = "01Y20250115    103005AOMAIN|ALCard retained by kiosk|AA21234000012345|AC|";

  it("sends the card-retained flag and the kiosk's reason", () => {
    const cmd = commandOf(translateRequest(request(BLOCK), CTX));
    if (cmd?.$case !== "blockPatron") throw new Error("wrong case");
    expect(cmd.value.cardRetained).toBe(true);
    expect(cmd.value.message).toBe("Card retained by kiosk");
    expect(cmd.value.patron?.barcode).toBe("21234000012345");
  });

  it("answers with the standing after the block", () => {
    const blocked = standing({
      status: common.PatronStatusFlags.create({ chargePrivilegesDenied: true, renewalPrivilegesDenied: true, recallPrivilegesDenied: true, holdPrivilegesDenied: true }),
      pinValid: undefined,
    });
    const out = wire(renderOutcome(request(BLOCK), accepted({ $case: "blockPatron", value: { standing: blocked } }), CTX));
    expect(out.startsWith("24YYYY          000")).toBe(false); // the patron's language, not 000
    expect(out.startsWith("24YYYY          001")).toBe(true);
    expect(out).toContain("AFThis card has been blocked. Please see staff.|");
  });
});

describe("25 Patron Enable → EnablePatron → 26", () => {
  const ENABLE = "2520250115    103005AOMAIN|AA21234000012345|ADpin1|";

  it("sends patron and PIN, and renders the standing without fee fields", () => {
    const cmd = commandOf(translateRequest(request(ENABLE), CTX));
    expect(cmd?.$case === "enablePatron" && cmd.value.pin).toBe("pin1");
    const out = wire(renderOutcome(request(ENABLE), accepted({ $case: "enablePatron", value: { standing: standing() } }), CTX));
    expect(out).toBe("26              00120250115    103100AOMAIN|AA21234000012345|AEDoe, John|BLY|CQY|");
  });

  it("renders a refusal as a 26 with the catalog message", () => {
    const out = wire(renderOutcome(request(ENABLE), refused(R.PATRON_PIN_LOCKED, { patron: standing({ pinValid: false }) }), CTX));
    expect(out.slice(0, 2)).toBe("26");
    expect(out).toContain("AFToo many incorrect PINs. Please see staff.|");
  });
});

describe("35 End Patron Session → EndPatronSession → 36", () => {
  const END = "3520250115    103005AOMAIN|AA21234000012345|";

  it("answers Y on success and N on refusal or outage", () => {
    const cmd = commandOf(translateRequest(request(END), CTX));
    expect(cmd?.$case).toBe("endPatronSession");
    expect(wire(renderOutcome(request(END), accepted({ $case: "endPatronSession", value: {} }), CTX))).toBe(
      "36Y20250115    103100AOMAIN|AA21234000012345|AFThank you. Goodbye.|",
    );
    expect(wire(renderOutcome(request(END), refused(R.PATRON_NOT_FOUND), CTX)).slice(0, 3)).toBe("36N");
    expect(wire(renderUnavailable(request(END), CTX, "unavailable")).slice(0, 3)).toBe("36N");
  });
});
