import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE, withPrivacy } from "../profiles.js";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { entryLine } from "./patron-information.js";
import { accepted, CTX, commandOf, context, money, refused, request, wire } from "./translate.fixtures.js";

const S = commands.PatronInformationSummary;
const R = commands.RefusalReason;
/** 63 with the given 10-char summary and extra fields. */
const info = (summary: string, extra = "") => `6300120250115    103005${summary}AOMAIN|AA21234000012345|AC|ADpin1|${extra}`;
const CHARGED = info("  Y       ", "BP2|BQ3|");

function standing(): common.PatronStanding {
  return common.PatronStanding.create({
    patronId: "p1",
    patron: { institutionId: "MAIN", barcode: "21234000012345" },
    name: "Doe, John",
    status: common.PatronStatusFlags.create({ tooManyItemsCharged: true, chargePrivilegesDenied: true }),
    language: common.Language.ENGLISH,
    validPatron: true,
    pinValid: true,
    feesOwed: money("USD", 500),
  });
}

function infoAccepted(overrides: Partial<commands.GetPatronInformationAccepted> = {}) {
  return accepted({
    $case: "getPatronInformation",
    value: commands.GetPatronInformationAccepted.create({
      standing: standing(),
      holdItemsCount: 1,
      overdueItemsCount: 0,
      chargedItemsCount: 3,
      fineItemsCount: 2,
      recallItemsCount: 0,
      unavailableHoldsCount: 4,
      summary: S.CHARGED_ITEMS,
      entries: [
        commands.PatronListEntry.create({ item: { institutionId: "MAIN", barcode: "3002" }, title: "B" }),
        commands.PatronListEntry.create({ item: { institutionId: "MAIN", barcode: "3003" }, title: "C" }),
      ],
      totalEntries: 3,
      ...overrides,
    }),
  });
}

describe("63 Patron Information → GetPatronInformation", () => {
  it("asks for the list the summary selects, with the BP/BQ range", () => {
    const cmd = commandOf(translateRequest(request(CHARGED), CTX));
    if (cmd?.$case !== "getPatronInformation") throw new Error("wrong case");
    expect(cmd.value.summary).toBe(S.CHARGED_ITEMS);
    expect(cmd.value.startItem).toBe(2);
    expect(cmd.value.endItem).toBe(3);
    expect(cmd.value.pin).toBe("pin1");
  });

  it("maps every summary position, taking the first Y when a kiosk sends several", () => {
    const summaryOf = (s: string) => {
      const cmd = commandOf(translateRequest(request(info(s)), CTX));
      return cmd?.$case === "getPatronInformation" ? cmd.value.summary : undefined;
    };
    expect(summaryOf("          ")).toBe(S.UNSPECIFIED);
    expect(summaryOf("Y         ")).toBe(S.HOLD_ITEMS);
    expect(summaryOf(" Y        ")).toBe(S.OVERDUE_ITEMS);
    expect(summaryOf("   Y      ")).toBe(S.FINE_ITEMS);
    expect(summaryOf("    Y     ")).toBe(S.RECALL_ITEMS);
    expect(summaryOf("     Y    ")).toBe(S.UNAVAILABLE_HOLDS);
    expect(summaryOf("      Y   ")).toBe(S.FEES);
    expect(summaryOf(" Y Y      ")).toBe(S.OVERDUE_ITEMS);
  });

  it("reads a malformed BP/BQ as not given rather than refusing", () => {
    const cmd = commandOf(translateRequest(request(info("  Y       ", "BPx|BQ-1|")), CTX));
    expect(cmd?.$case === "getPatronInformation" && [cmd.value.startItem, cmd.value.endItem]).toEqual([0, 0]);
  });
});

describe("64 Patron Information Response", () => {
  it("renders standing, the six counts, fees and the selected list only", () => {
    expect(wire(renderOutcome(request(CHARGED), infoAccepted(), CTX))).toBe(
      "64Y    Y        00120250115    103100000100000003000200000004" +
        "AOMAIN|AA21234000012345|AEDoe, John|BLY|CQY|BHUSD|BV5.00|AU3002|AU3003|",
    );
  });

  it("says a locked PIN is locked: CQ=N and the lock-out message, as 11 and 23 do", () => {
    const locked = { ...standing(), pinValid: false, pinLocked: true };
    const out = wire(renderOutcome(request(CHARGED), infoAccepted({ standing: locked }), CTX));
    expect(out).toContain("|BLY|CQN|");
    expect(out).toContain("AFToo many incorrect PINs. Please see staff.|");
    expect(out).not.toContain("Please try again");
  });

  it("sends limits, fee limit, contact data and patron class when known", () => {
    const out = wire(
      renderOutcome(
        request(info("          ")),
        infoAccepted({
          entries: [],
          holdItemsLimit: 5,
          overdueItemsLimit: 1,
          chargedItemsLimit: 20,
          feeLimit: money("USD", 1000),
          email: "jd@example.org",
          phone: "555-0100",
          homeAddress: "1 Main St",
          patronType: "ADULT",
        }),
        CTX,
      ),
    );
    expect(out).toContain("|BZ0005|CA0001|CB0020|BLY|CQY|BHUSD|BV5.00|CC10.00|BD1 Main St|BEjd@example.org|BF555-0100|PCADULT|");
  });

  it("leaves out address, e-mail and phone for an account with patronPrivacy noContact, keeping the rest", () => {
    const ctx = context({ responseProfile: withPrivacy(DEFAULT_PROFILE, true) });
    const contact = { entries: [], email: "jd@example.org", phone: "555-0100", homeAddress: "1 Main St", patronType: "ADULT" };
    const out = wire(renderOutcome(request(info("          "), ctx), infoAccepted(contact), ctx), ctx);
    expect(out).not.toMatch(/\|B[DEF]/);
    expect(out).toContain("|AEDoe, John|");
    expect(out).toContain("|BLY|CQY|BHUSD|BV5.00|PCADULT|");
  });

  it("caps the list at the BP..BQ range even if the service sends more", () => {
    const entries = ["1", "2", "3", "4"].map((b) => commands.PatronListEntry.create({ item: { institutionId: "MAIN", barcode: b } }));
    const out = wire(renderOutcome(request(CHARGED), infoAccepted({ entries }), CTX));
    expect(out).toContain("|AU1|AU2|");
    expect(out).not.toContain("|AU3|");
  });

  it("puts each list in its own field: holds AS, overdue AT, fines AV, recalls BU, unavailable holds CD", () => {
    const e = [commands.PatronListEntry.create({ item: { institutionId: "MAIN", barcode: "X1" } })];
    expect(wire(renderOutcome(request(info("Y         ")), infoAccepted({ entries: e }), CTX))).toContain("|ASX1|");
    expect(wire(renderOutcome(request(info(" Y        ")), infoAccepted({ entries: e }), CTX))).toContain("|ATX1|");
    expect(wire(renderOutcome(request(info("    Y     ")), infoAccepted({ entries: e }), CTX))).toContain("|BUX1|");
    expect(wire(renderOutcome(request(info("     Y    ")), infoAccepted({ entries: e }), CTX))).toContain("|CDX1|");
    const fine = [commands.PatronListEntry.create({ feeId: "f-1", feeType: common.FeeType.DAMAGE, amount: money("USD", 1000) })];
    expect(wire(renderOutcome(request(info("   Y      ")), infoAccepted({ entries: fine }), CTX))).toContain('|AVf-1 10.00 "damage"|');
  });

  it("writes fines as fee id, amount, type and description, and title-level holds by title", () => {
    const fine = commands.PatronListEntry.create({
      feeId: "f-1",
      feeType: common.FeeType.OVERDUE,
      amount: money("USD", 250),
      description: "Overdue: The Hobbit",
    });
    expect(entryLine(fine, S.FINE_ITEMS)).toBe('f-1 2.50 "overdue" Overdue: The Hobbit');
    expect(entryLine(commands.PatronListEntry.create({ title: "Dune", titleId: "b9" }), S.HOLD_ITEMS)).toBe("Dune");
  });

  it("renders an unknown patron with counts 0000 and BL=N", () => {
    const out = wire(renderOutcome(request(CHARGED), refused(R.PATRON_NOT_FOUND), CTX));
    expect(out).toBe(
      "64YYYY          00120250115    103100000000000000000000000000AOMAIN|AA21234000012345|AE|BLN|AFCard not recognised. Please see staff.|",
    );
  });

  it("sends blank counts (unsupported) when the backend did not answer", () => {
    const out = wire(renderUnavailable(request(CHARGED), CTX, "unavailable"));
    expect(out.slice(37, 61)).toBe(" ".repeat(24));
    expect(out).toContain("AFSystem unavailable. Please see staff.|");
  });
});
