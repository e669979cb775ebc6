import { describe, expect, it } from "vitest";
import { describeMessage } from "../src/index.js";

const opts = { timeZone: "America/New_York" };

describe("describeMessage", () => {
  it("names the fixed and tagged fields of a checkin response with sorter extensions", () => {
    const d = describeMessage(
      "101YNY20250115    103100AOMAIN|AB31234000067890|AQMAIN|AJThe Hobbit|CLB2|CK001|CSFIC TOL|CTEAST|CV02|CY21234000099999|DASmith, Jane|AFItem on hold for another patron|AY3AZCDFC",
      opts,
    );
    expect(d).toEqual({
      code: "10",
      name: "Checkin Response",
      direction: "response",
      fixed: { ok: true, resensitize: true, magneticMedia: "N", alert: true, transactionDate: "2025-01-15T10:31:00-05:00" },
      fields: {
        institutionId: "MAIN",
        itemIdentifier: "31234000067890",
        permanentLocation: "MAIN",
        titleIdentifier: "The Hobbit",
        sortBin: "B2",
        mediaType: "001 (book)",
        callNumber: "FIC TOL",
        destinationLocation: "EAST",
        alertType: "02 (holdForOtherBranch)",
        holdPatronId: "21234000099999",
        holdPatronName: "Smith, Jane",
        screenMessages: ["Item on hold for another patron"],
      },
      sequence: 3,
      checksum: "valid",
    });
  });

  it("shows a UTC date with Z and a local date with the zone's offset", () => {
    const utc = describeMessage("1720250115   Z153000AOMAIN|AB31234000067890|AY5AZF4C0", opts);
    expect("fixed" in utc && utc.fixed.transactionDate).toBe("2025-01-15T15:30:00Z");
    const local = describeMessage("1720250715    103000AOMAIN|AB1|", opts);
    expect("fixed" in local && local.fixed.transactionDate).toBe("2025-07-15T10:30:00-04:00");
  });

  it("lists the set patron status flags and supported messages by name", () => {
    const d = describeMessage("24Y   Y     Y   00120250115    103000AOMAIN|AAP1|AEZoë|BLY|", { ...opts, charset: "utf8" });
    expect("fixed" in d && d.fixed.patronStatus).toEqual(["chargePrivilegesDenied", "cardReportedLost", "excessiveOutstandingFines"]);
    expect("fixed" in d && d.fixed.language).toBe("001 (english)");
    expect("fields" in d && d.fields).toMatchObject({ personalName: "Zoë", validPatron: true });
    const s = describeMessage(`98YYYYNN10000320250115    1030002.00AOMAIN|BXYY${"N".repeat(13)}Y|`, opts);
    expect("fields" in s && s.fields.supportedMessages).toEqual(["patronStatusRequest", "checkout", "renewAll"]);
  });

  it("lists unknown fields by ID, repeated ones as arrays", () => {
    const d = describeMessage("9300CNu|COp|ZZone|XYx|ZZtwo|", opts);
    expect("fields" in d && d.fields).toEqual({ loginUserId: "u", loginPassword: "p", ZZ: ["one", "two"], XY: "x" });
  });

  it("includes warnings when the parser had to be lenient", () => {
    const d = describeMessage("11YN20250115    103005                  AOMAIN|", opts);
    expect("warnings" in d && d.warnings?.map((w) => w.field)).toEqual(["AA patronIdentifier", "AB itemIdentifier", "AC terminalPassword"]);
  });

  it("keeps an unreadable date as its raw text", () => {
    const d = describeMessage("36Y20080228 145537AOWOHLERS|AAX00000000|AY9AZF474", opts);
    expect("fixed" in d && d.fixed.transactionDate).toBe("20080228 145537AOW");
  });

  it("describes a failure with the error, code and checksum", () => {
    expect(describeMessage("301Y", opts)).toEqual({
      error: { code: "short_fixed_part", reason: "30 (Renew Response) needs 22 fixed characters after the code, got 2", messageCode: "30" },
      code: "30",
      sequence: null,
      checksum: "absent",
    });
    expect(describeMessage("hello", opts)).toMatchObject({ error: { code: "bad_code" } });
  });

  it("produces JSON-able output", () => {
    const d = describeMessage("1720250115   Z153000AOMAIN|AB31234000067890|AY5AZF4C0", opts);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
