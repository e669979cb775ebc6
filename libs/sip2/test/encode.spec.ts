import { describe, expect, it } from "vitest";
import { type EncodeOptions, encodeMessage, noFlags, PatronStatusPosition, parseMessage, Sip2EncodeError, type SipMessage, SupportedMessagePosition } from "../src/index.js";
import { FIXTURES } from "./fixtures.js";

const TZ = "America/New_York";
const t = new Date("2025-01-15T15:30:06Z");
const wire = (m: SipMessage, o: Partial<EncodeOptions> = {}) => Buffer.from(encodeMessage(m, { timeZone: TZ, ...o })).toString("latin1");

const CHECKOUT_RESPONSE: SipMessage = {
  code: "12",
  ok: true,
  renewalOk: false,
  magneticMedia: "N",
  desensitize: "Y",
  transactionDate: t,
  institutionId: "MAIN",
  patronIdentifier: "21234000012345",
  itemIdentifier: "31234000067890",
  titleIdentifier: "The Hobbit",
  dueDate: "20250205    235900",
  mediaType: "001",
};

describe("encodeMessage", () => {
  it("reproduces the §2.4 checkout response byte for byte", () => {
    expect(wire(CHECKOUT_RESPONSE, { sequence: 2 })).toBe(
      "121NNY20250115    103006AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AH20250205    235900|CK001|AY2AZE59F\r",
    );
  });

  it("reproduces the §2.4 login response, resend messages and ACS status", () => {
    expect(wire({ code: "94", ok: true }, { sequence: 0 })).toBe("941AY0AZFDFD\r");
    expect(wire({ code: "97" }, { errorDetection: true })).toBe("97AZFEF5\r");
    expect(wire({ code: "96" }, { sequence: 4 })).toBe("96AZFEF6\r");
    const status = FIXTURES["98"];
    expect(
      wire(
        { ...status, statusUpdateOk: false, offlineOk: false, dateTimeSync: new Date("2025-01-15T15:30:00Z"), libraryName: "Main Library", screenMessages: undefined, terminalLocation: "kiosk1" },
        { sequence: 1 },
      ),
    ).toBe("98YYYYNN10000320250115    1030002.00AOMAIN|AMMain Library|BXYYYYYYYYYYYYYYYY|ANkiosk1|AY1AZE559\r");
  });

  it("emits required tags even when empty (AJ| AH|)", () => {
    expect(wire({ ...CHECKOUT_RESPONSE, ok: false, titleIdentifier: "", dueDate: "", mediaType: undefined } as SipMessage)).toBe(
      "120NNY20250115    103006AOMAIN|AA21234000012345|AB31234000067890|AJ|AH|\r",
    );
  });

  it("emits a required tag whose value is missing at run time (JS callers)", () => {
    const bad = { ...CHECKOUT_RESPONSE, titleIdentifier: undefined } as unknown as SipMessage;
    expect(wire(bad)).toContain("|AJ|AH2025");
  });

  it("pads fixed fields to width: numbers with zeros, blank counts with spaces, digit codes with zeros", () => {
    expect(wire({ code: "99", statusCode: "0", maxPrintWidth: 40, protocolVersion: "2.00" })).toBe("9900402.00\r");
    const patron = wire({ ...FIXTURES["64"], holdItemsCount: 7, unavailableHoldsCount: null, language: "1" } as SipMessage);
    expect(patron.slice(0, 61)).toBe(`64${" ".repeat(14)}00120250115    10300000070000000300010000    `);
    expect(wire({ ...FIXTURES["18"], circulationStatus: "3" } as SipMessage).slice(2, 4)).toBe("03");
  });

  it("clamps counts to the field width", () => {
    const m = { ...FIXTURES["66"], renewedCount: 123_456, unrenewedCount: -3 } as SipMessage;
    expect(wire(m).slice(2, 11)).toBe("199990000");
  });

  it("writes blank and 'unsupported' dates as 18 blanks / 18 zeros", () => {
    expect(wire(FIXTURES["11"])).toContain(`103000${" ".repeat(18)}AO`);
    expect(wire({ ...FIXTURES["98"], dateTimeSync: null } as SipMessage).slice(14, 32)).toBe("0".repeat(18));
  });

  it("writes patron status as Y/blank, never N", () => {
    const status = { ...noFlags(PatronStatusPosition), chargePrivilegesDenied: true, tooManyItemsBilled: true };
    expect(wire({ ...FIXTURES["24"], patronStatus: status } as SipMessage).slice(2, 16)).toBe(`Y${" ".repeat(12)}Y`);
  });

  it("writes supported messages (BX) as Y/N", () => {
    expect(wire({ ...FIXTURES["98"], supportedMessages: { ...noFlags(SupportedMessagePosition), checkout: true } } as SipMessage)).toContain(`|BXNY${"N".repeat(14)}|`);
  });

  it("replaces the delimiter inside a value with a space", () => {
    expect(wire({ ...FIXTURES["93"], loginUserId: "a|b" } as SipMessage)).toContain("CNa b|");
    expect(wire({ ...FIXTURES["93"], loginUserId: "a|b~c" } as SipMessage, { delimiter: "~" })).toContain("CNa|b c~");
  });

  it("removes CR and LF from values, so a value can never end the frame", () => {
    const out = wire({ ...FIXTURES["36"], printLines: ["line one\r\nline two"] } as SipMessage);
    expect(out).toContain("|AGline oneline two|");
    expect(out.indexOf("\r")).toBe(out.length - 1);
  });

  it("truncates values over 255 characters", () => {
    const out = wire({ ...FIXTURES["93"], loginUserId: "x".repeat(300) } as SipMessage);
    expect(out).toContain(`CN${"x".repeat(255)}|`);
    expect(out).not.toContain("x".repeat(256));
  });

  it("splits AF/AG over 255 characters into repeated fields", () => {
    const long = "a".repeat(255) + "b".repeat(100);
    const out = wire({ ...FIXTURES["36"], printLines: undefined, screenMessages: [long] } as SipMessage);
    expect(out).toContain(`|AF${"a".repeat(255)}|AF${"b".repeat(100)}|`);
    const back = parseMessage(out, { timeZone: TZ });
    expect(back.ok && back.message).toMatchObject({ screenMessages: ["a".repeat(255), "b".repeat(100)] });
  });

  it("uses upper-case hex for the checksum", () => {
    expect(wire(FIXTURES["10"], { sequence: 3 })).toMatch(/AY3AZ[0-9A-F]{4}\r$/);
  });

  it("uses AY0 when error detection is on without a sequence", () => {
    expect(wire({ code: "94", ok: false }, { errorDetection: true })).toBe("940AY0AZFDFE\r");
  });

  it("leaves the trailer out when error detection is off, even with a sequence", () => {
    expect(wire({ code: "94", ok: true }, { sequence: 3, errorDetection: false })).toBe("941\r");
  });

  it("ends with CR by default, CR LF or nothing on request", () => {
    expect(wire({ code: "94", ok: true })).toBe("941\r");
    expect(wire({ code: "94", ok: true }, { terminator: "\r\n" })).toBe("941\r\n");
    expect(wire({ code: "94", ok: true }, { terminator: "" })).toBe("941");
  });

  it("throws Sip2EncodeError for programming errors", () => {
    expect(() => wire({ code: "94", ok: true }, { sequence: 10 })).toThrow(Sip2EncodeError);
    expect(() => wire({ code: "42" } as never)).toThrow(Sip2EncodeError);
    expect(() => wire({ ...FIXTURES["17"], transactionDate: new Date("nope") } as SipMessage)).toThrow(/transactionDate/);
    expect(() => encodeMessage({ code: "94", ok: true }, { timeZone: "Nowhere/Else" })).toThrow(Sip2EncodeError);
  });
});
