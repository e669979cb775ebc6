import { describe, expect, it } from "vitest";
import { type ParseResult, parseMessage, parseRequest, parseResponse, type SipMessage } from "../src/index.js";

const opts = { timeZone: "America/New_York" };
const CHECKOUT = "11YN20250115    103005                  AOMAIN|AA21234000012345|AB31234000067890|AC|BON|BIN|AY2AZEAB3";

function ok<M>(r: ParseResult<M>): { message: M; warnings: string[]; checksum: string; sequence: number | null } {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.reason}`);
  return { message: r.message, warnings: r.warnings.map((w) => w.code), checksum: r.checksum, sequence: r.sequence };
}

describe("parseRequest", () => {
  it("reads a checkout into a typed model", () => {
    const { message, warnings, checksum, sequence } = ok(parseRequest(CHECKOUT, opts));
    expect(message).toEqual({
      code: "11",
      scRenewalPolicy: true,
      noBlock: false,
      transactionDate: new Date("2025-01-15T15:30:05Z"),
      nbDueDate: null,
      institutionId: "MAIN",
      patronIdentifier: "21234000012345",
      itemIdentifier: "31234000067890",
      terminalPassword: "",
      feeAcknowledged: false,
      cancel: false,
    });
    expect(warnings).toEqual([]);
    expect(checksum).toBe("valid");
    expect(sequence).toBe(2);
  });

  it("narrows on message.code", () => {
    const r = parseRequest(CHECKOUT, opts);
    if (r.ok && r.message.code === "11") expect(r.message.itemIdentifier).toBe("31234000067890");
    else throw new Error("expected a checkout");
  });

  it("reads the §2.4 ACS status response", () => {
    const { message } = ok(parseResponse("98YYYYNN10000320250115    1030002.00AOMAIN|AMMain Library|BXYYYYYYYYYYYYYYYY|ANkiosk1|AY1AZE559", opts));
    expect(message).toMatchObject({ code: "98", onlineStatus: true, offlineOk: false, timeoutPeriod: 100, retriesAllowed: 3, protocolVersion: "2.00" });
    expect(message.code === "98" && Object.values(message.supportedMessages).every(Boolean)).toBe(true);
  });
});

describe("leniency (see README)", () => {
  it("accepts empty fields (AC|)", () => {
    expect(ok(parseRequest("2300120250115    103000AOMAIN|AAP1|AC|AD|", opts)).message).toMatchObject({ terminalPassword: "", patronPassword: "" });
  });

  it("accepts a missing trailing delimiter", () => {
    expect(ok(parseRequest("9300CNuser_id|COpassw0rd", opts)).message).toMatchObject({ loginUserId: "user_id", loginPassword: "passw0rd" });
  });

  it("reads a blank nb due date (18 spaces) as none", () => {
    expect(ok(parseRequest(CHECKOUT, opts)).message).toMatchObject({ nbDueDate: null });
  });

  it("treats N in a Y/blank bit string as false", () => {
    const { message } = ok(parseResponse("24YNNNYNNNNNNNNN00120250115    103000AOMAIN|AAP1|AE|", opts));
    expect(message.code === "24" && message.patronStatus).toMatchObject({ chargePrivilegesDenied: true, renewalPrivilegesDenied: false, cardReportedLost: true });
  });

  it("keeps unknown fields, in order", () => {
    const { message, warnings } = ok(parseRequest("9300CNu|XXone|COp|ZZtwo|XXthree|", opts));
    expect(message.unknownFields).toEqual([
      { id: "XX", value: "one" },
      { id: "ZZ", value: "two" },
      { id: "XX", value: "three" },
    ]);
    expect(warnings).toEqual([]);
  });

  it("keeps the first of duplicate non-repeatable fields, with a warning", () => {
    const { message, warnings } = ok(parseRequest("9300CNfirst|CNsecond|COp|", opts));
    expect(message).toMatchObject({ loginUserId: "first" });
    expect(warnings).toEqual(["duplicate_field"]);
  });

  it("collects repeatable fields in order", () => {
    const { message } = ok(parseResponse("36Y20250115    103000AOM|AAP|AFone|AGp|AFtwo|", opts));
    expect(message).toMatchObject({ screenMessages: ["one", "two"], printLines: ["p"] });
  });

  it("skips empty segments (||) and a lone trailing fragment, with a warning for the fragment", () => {
    const { message, warnings } = ok(parseRequest("9300||CNu|||COp|X|", opts));
    expect(message).toMatchObject({ loginUserId: "u", loginPassword: "p" });
    expect(warnings).toEqual(["short_segment"]);
  });

  it("ignores trailing garbage, whitespace and CR LF", () => {
    const { checksum, sequence } = ok(parseRequest(`${CHECKOUT}|||  \r\n\x00`, opts));
    expect(checksum).toBe("valid");
    expect(sequence).toBe(2);
  });

  it("ignores leading LF and whitespace", () => {
    expect(ok(parseRequest(`\n \t${CHECKOUT}\r`, opts)).checksum).toBe("valid");
  });

  it("keeps trailing spaces of a message without trailer as fixed-field data", () => {
    const { message } = ok(parseRequest("11YN20250115    103005                  ", opts));
    expect(message).toMatchObject({ nbDueDate: null });
  });

  it("does not mistake a value ending in AZ and four hex digits for a checksum when a delimiter follows", () => {
    const { message, checksum } = ok(parseRequest("9300CNuser|COpassAZ12AB|", opts));
    expect(message).toMatchObject({ loginPassword: "passAZ12AB" });
    expect(checksum).toBe("absent");
  });

  it("treats an AY that is not a single digit as no AY", () => {
    const msg = "9300CNu|COp|AY10AZ";
    let sum = 0;
    for (const c of Buffer.from(msg, "latin1")) sum += c;
    const r = ok(parseRequest(msg + (-sum & 0xffff).toString(16).toUpperCase().padStart(4, "0"), opts));
    expect(r.sequence).toBeNull();
    expect(r.checksum).toBe("valid");
    expect(r.warnings).toContain("bad_sequence");
    expect(r.message.unknownFields).toBeUndefined();
  });

  it("reads a message with AZ but no AY (checksum only)", () => {
    const msg = "9300CNu|COp|AZ";
    let sum = 0;
    for (const c of Buffer.from(msg, "latin1")) sum += c;
    const r = ok(parseRequest(msg + (-sum & 0xffff).toString(16).padStart(4, "0"), opts));
    expect(r).toMatchObject({ sequence: null, checksum: "valid" });
  });

  it("reads a missing required field as empty, with a warning", () => {
    const { message, warnings } = ok(parseRequest("11YN20250115    103005                  AOMAIN|", opts));
    expect(message).toMatchObject({ patronIdentifier: "", itemIdentifier: "", terminalPassword: "" });
    expect(warnings).toEqual(["missing_required", "missing_required", "missing_required"]);
  });

  it("reads an unreadable fixed date as null, with a warning", () => {
    const { message, warnings } = ok(parseRequest("29NN20201013    09315820201013    09315|AOinst|AAp|", opts));
    expect(message).toMatchObject({ transactionDate: new Date("2020-10-13T13:31:58Z"), nbDueDate: null });
    expect(warnings).toEqual(["bad_value"]);
  });

  it("accepts y and n in lower case for flags", () => {
    expect(ok(parseRequest("11yn20250115    103005                  AOM|AAP|ABI|AC|BOy|", opts)).message).toMatchObject({ scRenewalPolicy: true, noBlock: false, feeAcknowledged: true });
  });

  it("reads blank 64 counts as null (unsupported)", () => {
    const { message } = ok(parseResponse(`64${" ".repeat(14)}00120250115    103000${" ".repeat(24)}AOM|AAP|AEZ|`, opts));
    expect(message).toMatchObject({ holdItemsCount: null, unavailableHoldsCount: null });
  });

  it("reads a short BX as the positions present, with a warning", () => {
    const { message, warnings } = ok(parseResponse("98YYYYNN10000320250115    1030001.00AOM|BXYYNN|", opts));
    expect(message.code === "98" && message.supportedMessages).toMatchObject({ patronStatusRequest: true, checkout: true, checkin: false, renewAll: false });
    expect(warnings).toEqual(["bad_value"]);
  });

  it("keeps a field with a malformed ID as unknown, with a warning", () => {
    const { message, warnings } = ok(parseRequest("9300CNu|COp|etc", opts));
    expect(message.unknownFields).toEqual([{ id: "et", value: "c" }]);
    expect(warnings).toEqual(["bad_field_id"]);
  });

  it("supports a configurable delimiter", () => {
    expect(ok(parseRequest("9300CNa|b~COp~", { ...opts, delimiter: "~" })).message).toMatchObject({ loginUserId: "a|b" });
  });

  it("accepts a string input by encoding it in the configured charset before checking the checksum", () => {
    const r = parseMessage("1720250115    103000AOMAIN|AB123|AJCafé|AY4AZF4A2", opts);
    expect(r.ok && r.checksum).toBe("valid");
    expect(r.ok && r.message).toMatchObject({ unknownFields: [{ id: "AJ", value: "Café" }] });
  });
});

describe("parse errors", () => {
  const err = (r: ParseResult<SipMessage>) => (r.ok ? "ok" : r.error.code);

  it("fails with short_fixed_part, naming the message, when the fixed part is cut off", () => {
    const r = parseRequest("11YN20250115", opts);
    expect(r).toMatchObject({ ok: false, error: { code: "short_fixed_part", messageCode: "11" } });
    expect(!r.ok && r.error.reason).toMatch(/Checkout.*38.*got 10/);
  });

  it("still reports the checksum of a message it cannot parse", () => {
    expect(parseResponse("98YYAY1AZ0000", opts)).toMatchObject({ ok: false, checksum: "invalid", sequence: 1 });
  });

  it("fails with unknown_code for a code SIP2 2.00 does not define", () => {
    expect(parseMessage("42hello", opts)).toMatchObject({ ok: false, error: { code: "unknown_code", messageCode: "42" } });
  });

  it("fails with bad_code when the message does not start with two digits", () => {
    expect(err(parseMessage("login: kiosk", opts))).toBe("bad_code");
  });

  it("fails with empty for blank input", () => {
    expect(err(parseMessage("\r\n  \x00", opts))).toBe("empty");
    expect(err(parseMessage(new Uint8Array(), opts))).toBe("empty");
  });

  it("fails with invalid_option for an unknown time zone, charset or a bad delimiter", () => {
    expect(err(parseMessage("941", { timeZone: "Nowhere/Else" }))).toBe("invalid_option");
    expect(err(parseMessage("941", { ...opts, charset: "ebcdic" as never }))).toBe("invalid_option");
    expect(err(parseMessage("941", { ...opts, delimiter: "A" }))).toBe("invalid_option");
    expect(err(parseMessage("941", { ...opts, delimiter: "||" }))).toBe("invalid_option");
  });

  it("never assumes a time zone: timeZone is required", () => {
    expect(err(parseMessage("941", {} as never))).toBe("invalid_option");
  });
});
