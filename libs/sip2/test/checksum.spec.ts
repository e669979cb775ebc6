import { describe, expect, it } from "vitest";
import { appendTrailer, computeChecksum, encodeText, parseMessage, splitTrailer, verifyChecksum, verifyCodePointChecksum } from "../src/index.js";

const ascii = (s: string) => Buffer.from(s, "latin1");
const opts = { timeZone: "America/New_York" };

/** sip2-reference.md §2.4: verified with three independent implementations. */
const WORKED = [
  ["9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA", "F4DA"],
  ["941AY0AZFDFD", "FDFD"],
  ["9900802.00AY1AZFCA0", "FCA0"],
  ["98YYYYNN10000320250115    1030002.00AOMAIN|AMMain Library|BXYYYYYYYYYYYYYYYY|ANkiosk1|AY1AZE559", "E559"],
  ["11YN20250115    103005                  AOMAIN|AA21234000012345|AB31234000067890|AC|BON|BIN|AY2AZEAB3", "EAB3"],
  [
    "121NNY20250115    103006AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AH20250205    235900|CK001|AY2AZE59F",
    "E59F",
  ],
  [
    "101YNY20250115    103100AOMAIN|AB31234000067890|AQMAIN|AJThe Hobbit|CLB2|CK001|CSFIC TOL|CTEAST|CV02|CY21234000099999|DASmith, Jane|AFItem on hold for another patron|AY3AZCDFC",
    "CDFC",
  ],
  ["97AZFEF5", "FEF5"],
  ["96AZFEF6", "FEF6"],
  ["1720250115   Z153000AOMAIN|AB31234000067890|AY5AZF4C0", "F4C0"],
] as const;

describe("checksum", () => {
  it("computes the §2.3 worked example: byte sum 0x0B26 gives F4DA", () => {
    const body = ascii("9300CNkiosk1|COs3cret|CPMAIN|AY0AZ");
    expect(body.reduce((a, b) => a + b, 0)).toBe(0x0b26);
    expect(computeChecksum(body)).toBe("F4DA");
  });

  it.each(WORKED)("reproduces the §2.4 checksum of %s", (message, hex) => {
    const bytes = ascii(message);
    expect(computeChecksum(bytes, bytes.length - 4)).toBe(hex);
    expect(verifyChecksum(bytes)).toBe(true);
    const parsed = parseMessage(message, opts);
    expect(parsed.ok && parsed.checksum).toBe("valid");
  });

  it.each([
    ["utf8", "F3B8"],
    ["ibm850", "F4A2"],
    ["latin1", "F43B"],
  ] as const)("sums encoded bytes, so Café in %s gives %s (§2.5)", (charset, hex) => {
    const bytes = encodeText("1720250115    103000AOMAIN|AB123|AJCafé|AY4AZ", charset);
    expect(computeChecksum(bytes)).toBe(hex);
  });

  it("pads the checksum to four digits (%04X)", () => {
    // A body whose two's complement is below 0x1000 must still give 4 hex digits.
    const body = new Uint8Array(0xf100).fill(1); // sum 0xF100 → checksum 0x0F00
    expect(computeChecksum(body)).toBe("0F00");
  });

  it("accepts a lower-case checksum", () => {
    expect(verifyChecksum(ascii("9300CNkiosk1|COs3cret|CPMAIN|AY0AZf4da"))).toBe(true);
    const r = parseMessage("9300CNkiosk1|COs3cret|CPMAIN|AY0AZf4da", opts);
    expect(r.ok && r.checksum).toBe("valid");
  });

  it("answers invalid for a wrong checksum", () => {
    expect(verifyChecksum(ascii("9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DB"))).toBe(false);
    const r = parseMessage("9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DB", opts);
    expect(r.ok && r.checksum).toBe("invalid");
  });

  it("answers invalid when the four checksum characters are not hex", () => {
    const r = parseMessage("941AY0AZFDFG", opts);
    expect(r.ok && r.checksum).toBe("invalid");
    expect(r.ok && r.sequence).toBe(0);
  });

  it("answers absent when the message has no AZ", () => {
    const r = parseMessage("9300CNkiosk1|COs3cret|CPMAIN|", opts);
    expect(r.ok && r.checksum).toBe("absent");
    expect(r.ok && r.sequence).toBeNull();
  });
});

describe("splitTrailer", () => {
  it("locates AY and AZ by position from the end, not by scanning", () => {
    // "AY" inside a value must not be mistaken for the sequence field.
    const msg = "9300CNAYAY|COAZAZ|AY7AZ";
    const bytes = ascii(msg + computeChecksum(ascii(msg)));
    const t = splitTrailer(bytes);
    expect(t).toMatchObject({ sequence: 7, checksum: "valid", bodyEnd: msg.length - 5 });
  });

  it("reads AZ alone, as in 96 and 97", () => {
    expect(splitTrailer(ascii("97AZFEF5"))).toMatchObject({ bodyEnd: 2, sequence: null, checksum: "valid" });
  });

  it("treats an AY that is not a single digit as no sequence", () => {
    const msg = "9300CNa|COb|AY10AZ";
    const t = splitTrailer(ascii(msg + computeChecksum(ascii(msg))));
    expect(t.sequence).toBeNull();
    expect(t.checksum).toBe("valid");
  });

  it("reports a truncated AY<d>AZ with no digits as an invalid checksum", () => {
    expect(splitTrailer(ascii("941AY1AZ"))).toMatchObject({ bodyEnd: 3, sequence: 1, checksum: "invalid" });
  });

  it("does not take a value ending in AZ plus non-hex text for a checksum", () => {
    expect(splitTrailer(ascii("9300CNuser|COPLAZAXYZ"))).toMatchObject({ checksum: "absent" });
  });
});

describe("appendTrailer", () => {
  it("appends AY<n>AZ<hhhh> that verifies", () => {
    const out = appendTrailer(ascii("941"), 0);
    expect(Buffer.from(out).toString("latin1")).toBe("941AY0AZFDFD");
  });

  it("appends AZ only when the sequence is null", () => {
    expect(Buffer.from(appendTrailer(ascii("97"), null)).toString("latin1")).toBe("97AZFEF5");
  });
});

describe("code-point checksum compatibility", () => {
  it("verifies a checksum computed over code points, not bytes", () => {
    const text = "1720250115    103000AOMAIN|AB123|AJCafé|AY4AZ";
    let sum = 0;
    for (const ch of text) sum += ch.codePointAt(0)!;
    const value = -sum & 0xffff;
    expect(verifyCodePointChecksum(text, value)).toBe(true);
    expect(verifyCodePointChecksum(text, value + 1)).toBe(false);
  });

  it("accepts a code-point checksum only when the option is on", () => {
    const text = "1720250115    103000AOMAIN|AB123|AJCafé|AY4AZ";
    let sum = 0;
    for (const ch of text) sum += ch.codePointAt(0)!;
    const hex = (-sum & 0xffff).toString(16).toUpperCase().padStart(4, "0");
    const bytes = encodeText(text + hex, "utf8");
    const strict = parseMessage(bytes, { ...opts, charset: "utf8" });
    const compat = parseMessage(bytes, { ...opts, charset: "utf8", codePointChecksum: true });
    expect(strict.ok && strict.checksum).toBe("invalid");
    expect(compat.ok && compat.checksum).toBe("valid");
    expect(compat.ok && compat.warnings.map((w) => w.code)).toContain("checksum_code_points");
  });
});
