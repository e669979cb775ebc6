import { readFileSync } from "node:fs";
import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { BUILT_IN_PROFILES, EXTENSIONS, type ResponseProfile, resolveProfiles, withPrivacy } from "../profiles.js";
import { renderOutcome, translateRequest } from "./index.js";
import { accepted, commandOf, context, itemSummary, money, request, wire } from "./translate.fixtures.js";

const FEE = common.FeeType;
/** 63 asking for the fine items (summary position 4). */
const INFO = "6300120250115    103005   Y      AOMAIN|AAP0002|AC|AD1234|";
const CHECKOUT = "11YN20250115    103000                  AOMAIN|AAP0002|AB31234000067890|AC|AD1234|";
const CHECKIN = "09N20250115    10310020250115    080000APMAIN|AOMAIN|AB31234000067890|AC|";

const standing = common.PatronStanding.create({
  patronId: "p-2",
  name: "Babbage, Charles",
  status: common.PatronStatusFlags.create(),
  language: common.Language.ENGLISH,
  validPatron: true,
  pinValid: true,
  feesOwed: money("USD", 1250),
});

const charges = [
  commands.PatronListEntry.create({
    item: { institutionId: "MAIN", barcode: "I0002" },
    title: "On the Economy of Machinery",
    feeId: "DEMO-C1",
    feeType: FEE.OVERDUE,
    amount: money("USD", 750),
    description: "Overdue: On the Economy of Machinery",
  }),
  commands.PatronListEntry.create({ feeId: "DEMO-C2", feeType: FEE.DAMAGE, amount: money("USD", 500), description: "Damaged dust jacket" }),
];

const info = (overrides: Partial<commands.GetPatronInformationAccepted> = {}) =>
  accepted({
  $case: "getPatronInformation",
  value: commands.GetPatronInformationAccepted.create({
    standing,
    fineItemsCount: 2,
    holdItemsLimit: 10,
    chargedItemsLimit: 20,
    summary: commands.PatronInformationSummary.FINE_ITEMS,
    entries: charges,
    totalEntries: 2,
    email: "charles@example.org",
    phone: "+1 212 555 0102",
    homeAddress: "1 Dorset Street",
    expiresAt: new Date("2026-01-16T05:59:59Z"),
    birthDate: "1791-12-26",
    patronType: "adult",
    patronTypeDescription: "Adult",
    homeLocation: "MAIN",
    internetPrivileges: true,
    ...overrides,
  }),
});
const infoOutcome = info();

const checkoutOutcome = accepted({
  $case: "checkOutItem",
  value: commands.CheckOutItemAccepted.create({ loanId: "l1", patronId: "p-2", item: itemSummary(), dueAt: new Date("2025-02-05T05:59:00Z"), desensitize: true }),
});

const checkinOutcome = accepted({
  $case: "checkInItem",
  value: commands.CheckInItemAccepted.create({ loanId: "l1", item: itemSummary(), resensitize: true, borrower: { institutionId: "MAIN", barcode: "P0002" } }),
});

function profile(name: string): ResponseProfile {
  const p = resolveProfiles({}, []).get(name);
  if (p === undefined) throw new Error(`no profile ${name}`);
  return p;
}

function bytes(p: ResponseProfile) {
  const ctx = context({ responseProfile: p });
  return {
    "64": wire(renderOutcome(request(INFO, ctx), infoOutcome, ctx), ctx),
    "12": wire(renderOutcome(request(CHECKOUT, ctx), checkoutOutcome, ctx), ctx),
    "10": wire(renderOutcome(request(CHECKIN, ctx), checkinOutcome, ctx), ctx),
  };
}

const HEAD_64 = "64              00120250115    103100000000000000000200000000AOMAIN|AAP0002|AEBabbage, Charles|";
const AV = "AVDEMO-C1 7.50 \"overdue\" Overdue: On the Economy of Machinery|AVDEMO-C2 5.00 \"damage\" Damaged dust jacket|";
const CONTACT = "BD1 Dorset Street|BEcharles@example.org|BF+1 212 555 0102|";
const R12 = "121NNY20250115    103100AOMAIN|AAP0002|AB31234000067890|AJThe Hobbit|AH20250204    235900|CK001|";
const R10 = "101YNN20250115    103100AOMAIN|AB31234000067890|AQMAIN-FIC|AJThe Hobbit|AAP0002|CK001|CRFIC|CSFIC TOL|AFChecked in. Thank you.|";

/** The exact bytes of a 64, 12 and 10 under every built-in profile. */
const EXPECTED: Record<string, { "64": string; "12": string; "10": string }> = {
  default: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}PCadult|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  bibliotheca: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}PCadult|`,
    "12": `${R12}AFChecked out.|CSFIC TOL|CRFIC|`,
    "10": R10,
  },
  envisionware: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}PA20260115    235959|PB17911226|PCadult|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  evergreen: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}PA20260115    235959|PB17911226|PCadult|AQMAIN|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  folio: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}FUadult|FVAdult|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  alma: {
    "64":
      `${HEAD_64}CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}` +
      "EBI0002|ETOn the Economy of Machinery|EC04|EDoverdue|EF7.50|EKDEMO-C1|BZDEMO-C1|" +
      "EB|ET|EC03|EDdamage|EF5.00|EKDEMO-C2|BZDEMO-C2|",
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  koha: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}PB17911226|PCadult|PIY|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  sierra: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}${CONTACT}PCadult|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
  private: {
    "64": `${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}PCadult|`,
    "12": `${R12}AFChecked out.|`,
    "10": R10,
  },
};

describe("response profiles: the exact bytes of 64, 12 and 10", () => {
  it("has an expectation for every built-in profile", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(BUILT_IN_PROFILES).sort());
  });

  it.each(Object.keys(EXPECTED))("%s", (name) => {
    expect(bytes(profile(name))).toEqual(EXPECTED[name]);
  });

  it("a library's own profile extends a built-in one: call number and collection on the checkout receipt, no birth date", () => {
    const problems: string[] = [];
    const own = resolveProfiles({ receipts: { extends: "envisionware", add: ["callNumber", "collectionCode"], hide: ["PB"] } }, problems).get("receipts");
    expect(problems).toEqual([]);
    const out = bytes(own as ResponseProfile);
    expect(out["12"]).toBe(`${R12}AFChecked out.|CSFIC TOL|CRFIC|`);
    expect(out["64"]).toContain("PA20260115    235959|PCadult|");
    expect(out["64"]).not.toContain("|PB");
  });

  it("a wrong PIN shows no contact data or birth date, whatever the profile adds", () => {
    const wrongPin = info({ standing: { ...standing, pinValid: false } });
    const ctx = context({ responseProfile: profile("envisionware") });
    const out = wire(renderOutcome(request(INFO, ctx), wrongPin, ctx), ctx);
    expect(out).toContain("|CQN|");
    expect(out).not.toMatch(/\|(BD|BE|BF|PB)/);
  });

  it("patronPrivacy noContact folds into the profile: BD/BE/BF left out, the rest as the profile says", () => {
    const out = bytes(withPrivacy(profile("envisionware"), true));
    expect(out["64"]).toBe(`${HEAD_64}BZ0010|CB0020|BLY|CQY|BHUSD|BV12.50|${AV}PA20260115    235959|PB17911226|PCadult|`);
  });
});

describe("response profiles: 24 under sierra and 37 under alma", () => {
  const status = (ctx = context()) =>
    wire(
      renderOutcome(
        request("2300120250115    103000AOMAIN|AAP0002|AC|AD1234|", ctx),
        accepted({ $case: "getPatronStatus", value: commands.GetPatronStatusAccepted.create({ standing, email: "charles@example.org", phone: "", homeAddress: "" }) }),
        ctx,
      ),
      ctx,
    );

  it("sierra puts the e-mail in the 24; default does not", () => {
    expect(status(context({ responseProfile: profile("sierra") }))).toBe(
      "24              00120250115    103100AOMAIN|AAP0002|AEBabbage, Charles|BLY|CQY|BHUSD|BV12.50|BEcharles@example.org|",
    );
    expect(status()).not.toContain("|BE");
  });

  const PAY = (fields: string) => `3720250115    1031000101USDBV7.50|AOMAIN|AAP0002|AC|${fields}`;
  const feeIdOf = (text: string, ctx = context()) => {
    const cmd = commandOf(translateRequest(request(text, ctx), ctx));
    if (cmd?.$case !== "payFee") throw new Error("wrong case");
    return cmd.value.feeId;
  };

  it("alma: a 37 names the charge by EK, else by BZ; CG still comes first", () => {
    const alma = context({ responseProfile: profile("alma") });
    expect(feeIdOf(PAY("EKDEMO-C1|"), alma)).toBe("DEMO-C1");
    expect(feeIdOf(PAY("BZDEMO-C2|"), alma)).toBe("DEMO-C2");
    expect(feeIdOf(PAY("CGDEMO-C2|EKDEMO-C1|"), alma)).toBe("DEMO-C2");
  });

  it("without extendedFees, EK is a field the ACS does not know: the payment is for the account", () => {
    expect(feeIdOf(PAY("EKDEMO-C1|"))).toBe("");
  });
});

describe("profiles in the accounts file", () => {
  const problemsOf = (entries: Parameters<typeof resolveProfiles>[0]) => {
    const problems: string[] = [];
    resolveProfiles(entries, problems);
    return problems;
  };

  it("the accounts file's schema offers exactly the extensions the gateway knows", () => {
    const schema = JSON.parse(readFileSync(new URL("../../../accounts.schema.json", import.meta.url), "utf8"));
    expect(schema.definitions.profile.properties.add.items.enum).toEqual([...EXTENSIONS]);
  });

  it("names every problem with its profile", () => {
    expect(
      problemsOf({
        a: { extends: "nope", add: ["shoeSize"], hide: ["AO", "ZZ", "AA"] },
        alma: {},
      }),
    ).toEqual([
      'profiles.a: extends "nope", which is not a built-in or earlier profile',
      "profiles.a: hide: AO is required in 10, 12, 16, 24, 26, 30, 36, 38, 64, 66, 98 and cannot be left out",
      "profiles.a: hide: ZZ is not a field of any response",
      'profiles.a: add: unknown extension "shoeSize"',
      "profiles.alma: is a built-in profile; choose another name",
    ]);
  });

  it("a field required in one response may still be hidden where it is optional (AA leaves the 10, stays in 64)", () => {
    expect(problemsOf({ sorter: { hide: ["AA"] } })).toEqual([]);
    const p = resolveProfiles({ sorter: { hide: ["AA"] } }, []).get("sorter") as ResponseProfile;
    const ctx = context({ responseProfile: p });
    expect(wire(renderOutcome(request(CHECKIN, ctx), checkinOutcome, ctx), ctx)).not.toContain("|AAP0002|");
    expect(wire(renderOutcome(request(INFO, ctx), infoOutcome, ctx), ctx)).toContain("|AAP0002|");
  });
});
